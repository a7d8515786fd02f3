//! The customer-facing window: the sale's QR code and amount, shown to the payer.
//!
//! One window, label `customer`, loading `index.html#/customer/<sale id>`. With a second
//! monitor it goes full screen there; with one monitor it opens as an ordinary window, because
//! a full-screen customer view would hide the cashier's own screen.

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::error::{CommandError, ErrorCode};

/// Window label of the customer display (also named in capabilities/default.json).
pub const LABEL: &str = "customer";

/// The app route for sale `id`, or an error when the id could not be a sale id.
fn route(id: &str) -> Result<String, CommandError> {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        let problem = pos_core::problem!(CustomerWindowUnknownSale);
        let mut error = CommandError::new(ErrorCode::InvalidInput, problem.clone());
        error.fields.insert("id".into(), vec![problem]);
        return Err(error);
    }
    Ok(format!("index.html#/customer/{id}"))
}

/// Shows sale `id` on the customer display, opening the window if needed.
pub fn show<R: Runtime>(app: &AppHandle<R>, id: &str) -> Result<(), CommandError> {
    let route = route(id)?;
    let internal = |error: tauri::Error| {
        log::error!("customer display: {error}");
        CommandError::new(
            ErrorCode::Internal,
            pos_core::problem!(
                Internal,
                detail = "the customer display could not be opened"
            ),
        )
    };
    if let Some(window) = app.get_webview_window(LABEL) {
        let hash = serde_json::to_string(&format!("#/customer/{id}")).map_err(|error| {
            CommandError::new(
                ErrorCode::Internal,
                pos_core::problem!(Internal, detail = format!("bad customer route: {error}")),
            )
        })?;
        window
            .eval(format!("window.location.hash = {hash}"))
            .map_err(internal)?;
        window.show().map_err(internal)?;
        window.set_focus().map_err(internal)?;
        return Ok(());
    }
    let monitors = app.available_monitors().map_err(internal)?;
    let primary = app.primary_monitor().map_err(internal)?;
    let second = monitors.into_iter().find(|monitor| {
        primary
            .as_ref()
            .is_none_or(|p| p.position() != monitor.position())
    });
    let mut builder = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App(route.into()))
        .title("Ottu POS: customer display")
        .background_color(crate::BACKGROUND);
    builder = match &second {
        Some(monitor) => {
            let scale = monitor.scale_factor();
            let position = monitor.position().to_logical::<f64>(scale);
            builder.position(position.x, position.y).fullscreen(true)
        }
        None => builder.inner_size(1024.0, 768.0),
    };
    builder.build().map_err(internal)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_points_at_the_customer_view_of_the_sale() {
        assert_eq!(
            route("01JD3Z-ab_9").unwrap(),
            "index.html#/customer/01JD3Z-ab_9"
        );
    }

    #[test]
    fn route_refuses_ids_that_could_inject_script_or_paths() {
        for bad in ["", "a'b", "x/../y", "id\";alert(1)", &"x".repeat(65)] {
            let error = route(bad).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidInput, "{bad:?}");
            assert!(error.fields.contains_key("id"));
        }
    }
}
