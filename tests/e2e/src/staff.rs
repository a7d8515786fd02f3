//! Staff set-up for tests that need roles: the owner's PIN and more staff added through the
//! Staff screen as an owner does, locking, and unlocking with a PIN on the lock screen's keypad.

use anyhow::Result;
use thirtyfour::components::SelectElement;

use crate::App;

/// Types a PIN on the lock screen's keypad, as a cashier would, and presses Unlock.
pub async fn enter_pin(app: &App, pin: &str) -> Result<()> {
    app.by_test_id("lock-screen").await?;
    for digit in pin.chars() {
        app.by_test_id(&format!("pin-key-{digit}"))
            .await?
            .click()
            .await?;
    }
    app.by_test_id("pin-submit").await?.click().await?;
    Ok(())
}

/// Unlocks with `pin` and waits until `role` is signed in.
pub async fn unlock_as(app: &App, pin: &str, role: &str) -> Result<()> {
    enter_pin(app, pin).await?;
    app.wait_for(&format!("a {role} to be signed in"), || async {
        let Some(who) = app.all_by_test_id("signed-in").await?.into_iter().next() else {
            return Ok(None);
        };
        Ok((who.attr("data-role").await?.as_deref() == Some(role)).then_some(()))
    })
    .await
}

/// Presses Lock and waits for the lock screen.
pub async fn lock(app: &App) -> Result<()> {
    app.by_test_id("lock").await?.click().await?;
    app.by_test_id("lock-screen").await?;
    Ok(())
}

/// Adds (or, with `edit`, changes the first row of) a staff member on the Staff screen.
pub async fn save_staff(app: &App, edit: bool, name: &str, role: &str, pin: &str) -> Result<()> {
    if edit {
        app.by_test_id("staff-edit").await?.click().await?;
    } else {
        app.by_test_id("staff-add").await?.click().await?;
    }
    let name_input = app.by_test_id("staff-name").await?;
    name_input.clear().await?;
    name_input.send_keys(name).await?;
    let select = app.by_test_id("staff-role").await?;
    SelectElement::new(&select)
        .await?
        .select_by_value(role)
        .await?;
    app.by_test_id("staff-pin").await?.send_keys(pin).await?;
    app.by_test_id("staff-save").await?.click().await?;
    app.wait_for(&format!("{name} in the staff list"), || async {
        for row in app.all_by_test_id("staff-row").await? {
            if row.attr("data-name").await?.as_deref() == Some(name)
                && app.all_by_test_id("staff-editor").await?.is_empty()
            {
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .await
}

/// A fresh demo till's owner gets `owner_pin` and the given staff `(name, role, pin)` are
/// added; the till then locks (a PIN turns the lock on) and `signed_in` unlocks it as `role`.
pub async fn set_up_staff(
    app: &App,
    owner_pin: &str,
    staff: &[(&str, &str, &str)],
    signed_in: (&str, &str),
) -> Result<()> {
    app.by_test_id("nav-staff").await?.click().await?;
    save_staff(app, true, "Owner", "owner", owner_pin).await?;
    for (name, role, pin) in staff {
        save_staff(app, false, name, role, pin).await?;
    }
    lock(app).await?;
    unlock_as(app, signed_in.0, signed_in.1).await
}
