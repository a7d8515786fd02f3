//! Who is at the till: unlocking with a PIN, locking, the idle lock, staff accounts, and the
//! role check every command makes ([`Till::authorize`]).
//!
//! - Until some staff member has a PIN, the till is not locked and acts as its first owner, so a
//!   fresh install (and the demo) opens straight to the keypad.
//! - Once an owner PIN exists, every command needs an unlocked session: [`Till::unlock`] with a
//!   PIN picks the staff member whose PIN it is (PINs are unique), [`Till::lock`] ends it, and it
//!   ends by itself after `settings.lock_after_minutes` without a command.
//! - The session lives in this process (the app, or one CLI run); wrong PINs back off through
//!   `config.toml`, so a new process does not reset the count.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::problem;
use crate::staff::{
    Action, Role, StaffInput, StaffMember, StoredStaff, hash_pin, normalize_pin, verify_pin,
};

use super::Till;

/// Who is signed in, and since when they last did something.
#[derive(Debug, Clone)]
pub(super) struct Session {
    staff_id: String,
    last_used: Instant,
}

/// The staff member a command runs as (recorded on sales and operations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Staff id.
    pub id: String,
    /// Staff name at the time.
    pub name: String,
    /// Their role.
    pub role: Role,
}

impl From<Actor> for crate::dto::StaffRef {
    fn from(actor: Actor) -> Self {
        crate::dto::StaffRef {
            id: actor.id,
            name: actor.name,
        }
    }
}

impl From<&Actor> for crate::dto::StaffRef {
    fn from(actor: &Actor) -> Self {
        actor.clone().into()
    }
}

impl Till {
    /// Whether the till locks: some staff member has a PIN.
    pub fn lock_required(&self) -> bool {
        self.config().staff.iter().any(|s| s.pin_hash.is_some())
    }

    /// The staff member signed in (the first owner while no PIN exists); `None` when locked.
    pub fn current_staff(&self) -> Option<StaffMember> {
        self.signed_in().map(|staff| staff.member())
    }

    fn signed_in(&self) -> Option<StoredStaff> {
        let config = self.config();
        if !config.staff.iter().any(|s| s.pin_hash.is_some()) {
            return config.staff.iter().find(|s| s.role == Role::Owner).cloned();
        }
        let mut session = self.session();
        let lock_after = Duration::from_secs(u64::from(config.settings.lock_after_minutes) * 60);
        let current = session.as_ref()?;
        if !lock_after.is_zero() && current.last_used.elapsed() > lock_after {
            *session = None;
            return None;
        }
        config
            .staff
            .iter()
            .find(|s| s.id == current.staff_id)
            .cloned()
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.inner
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The check every command makes: the signed-in staff member may do `action`. Answers who
    /// they are; `locked` when nobody is signed in, `not_allowed` when the role does not allow.
    pub fn authorize(&self, action: Action) -> Result<Actor> {
        let staff = self.signed_in().ok_or(Error::Locked)?;
        if !staff.role.may(action) {
            return Err(Error::NotAllowed(if Role::Manager.may(action) {
                problem!(RoleMayNot, role = staff.role, action = action.describe())
            } else {
                problem!(
                    RoleMayNotOwnerOnly,
                    role = staff.role,
                    action = action.describe()
                )
            }));
        }
        if let Some(session) = self.session().as_mut() {
            session.last_used = Instant::now();
        }
        Ok(Actor {
            id: staff.id,
            name: staff.name,
            role: staff.role,
        })
    }

    /// Signs in the staff member whose PIN this is (switching staff takes just this).
    pub fn unlock(&self, pin: &str) -> Result<StaffMember> {
        let staff = self.staff_with_pin("pin", pin)?;
        *self.session() = Some(Session {
            staff_id: staff.id.clone(),
            last_used: Instant::now(),
        });
        Ok(staff.member())
    }

    /// A manager's (or the owner's) approval by PIN, for an action the signed-in cashier may
    /// not do alone (a refund). Does not change who is signed in.
    pub fn approve(&self, action: Action, pin: &str) -> Result<Actor> {
        let staff = self.staff_with_pin("approver_pin", pin)?;
        if !staff.role.may(action) {
            return Err(Error::NotAllowed(problem!(
                ApproverMayNot,
                role = staff.role
            )));
        }
        Ok(Actor {
            id: staff.id,
            name: staff.name,
            role: staff.role,
        })
    }

    /// The staff member whose PIN `pin` is, counting wrong PINs against the backoff.
    fn staff_with_pin(&self, field: &str, pin: &str) -> Result<StoredStaff> {
        let config = self.config();
        let now = time::OffsetDateTime::now_utc();
        config
            .pin_guard
            .check(&crate::clock::format_utc(now))
            .map_err(|error| match error {
                Error::InvalidInput { problem, .. } => Error::invalid_field(field, problem),
                other => other,
            })?;
        let pin = normalize_pin(field, pin)?;
        let found = config
            .staff
            .iter()
            .find(|s| s.pin_hash.as_deref().is_some_and(|h| verify_pin(h, &pin)))
            .cloned();
        match found {
            Some(staff) => {
                if config.pin_guard.failures > 0 {
                    self.update_config(|config| {
                        config.pin_guard = Default::default();
                        Ok(())
                    })?;
                }
                Ok(staff)
            }
            None => {
                self.update_config(|config| {
                    config.pin_guard.failed(now);
                    Ok(())
                })?;
                Err(Error::invalid_field(field, problem!(WrongPin)))
            }
        }
    }

    /// Makes the session look `by` older (tests of the idle lock).
    #[cfg(test)]
    pub(super) fn age_session(&self, by: Duration) {
        if let Some(session) = self.session().as_mut()
            && let Some(earlier) = session.last_used.checked_sub(by)
        {
            session.last_used = earlier;
        }
    }

    /// Ends the session: the next command needs a PIN (when the till locks at all).
    pub fn lock(&self) {
        *self.session() = None;
    }

    /// Every staff member (owner only).
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        self.authorize(Action::ManageStaff)?;
        Ok(self
            .config()
            .staff
            .iter()
            .map(StoredStaff::member)
            .collect())
    }

    /// Adds (no `id`) or changes a staff member (owner only). A PIN must be unique; the last
    /// owner keeps the owner role.
    pub fn save_staff(&self, input: StaffInput) -> Result<StaffMember> {
        self.authorize(Action::ManageStaff)?;
        let name = input.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(Error::invalid_field("name", problem!(StaffNameInvalid)));
        }
        let pin = input
            .pin
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(|p| normalize_pin("pin", p))
            .transpose()?;
        let config = self.config();
        if let Some(pin) = &pin {
            let taken = config.staff.iter().any(|s| {
                Some(&s.id) != input.id.as_ref()
                    && s.pin_hash.as_deref().is_some_and(|h| verify_pin(h, pin))
            });
            if taken {
                return Err(Error::invalid_field("pin", problem!(PinTaken)));
            }
        }
        let pin_hash = pin.as_deref().map(hash_pin).transpose()?;
        let mut saved = None;
        self.update_config(|config| {
            let member = match &input.id {
                Some(id) => {
                    let owners = config
                        .staff
                        .iter()
                        .filter(|s| s.role == Role::Owner)
                        .count();
                    let member = config
                        .staff
                        .iter_mut()
                        .find(|s| &s.id == id)
                        .ok_or_else(|| Error::NotFound(problem!(StaffNotFound, id = id)))?;
                    let role = input.role.unwrap_or(member.role);
                    if member.role == Role::Owner && role != Role::Owner && owners == 1 {
                        return Err(Error::invalid_field("role", problem!(OwnerNeededFirst)));
                    }
                    member.name = name.clone();
                    member.role = role;
                    if let Some(hash) = &pin_hash {
                        member.pin_hash = Some(hash.clone());
                    }
                    member.clone()
                }
                None => {
                    let role = input
                        .role
                        .ok_or_else(|| Error::invalid_field("role", problem!(RoleNeeded)))?;
                    if pin_hash.is_none() {
                        return Err(Error::invalid_field("pin", problem!(PinNeeded)));
                    }
                    let next = (1..)
                        .map(|n| format!("staff-{n}"))
                        .find(|id| !config.staff.iter().any(|s| &s.id == id))
                        .unwrap_or_default();
                    let member = StoredStaff {
                        id: next,
                        name: name.clone(),
                        role,
                        pin_hash: pin_hash.clone(),
                    };
                    config.staff.push(member.clone());
                    member
                }
            };
            saved = Some(member);
            Ok(())
        })?;
        let saved = saved.ok_or_else(|| Error::Internal("staff not saved".into()))?;
        // Whoever set the first PIN stays signed in as themselves.
        if self.session().is_none() && pin_hash.is_some() {
            let owner = self
                .config()
                .staff
                .iter()
                .find(|s| s.role == Role::Owner && s.pin_hash.is_some())
                .cloned();
            if let Some(owner) = owner {
                *self.session() = Some(Session {
                    staff_id: owner.id,
                    last_used: Instant::now(),
                });
            }
        }
        Ok(saved.member())
    }

    /// Removes a staff member (owner only; never the last owner, never oneself).
    pub fn delete_staff(&self, id: &str) -> Result<Vec<StaffMember>> {
        let actor = self.authorize(Action::ManageStaff)?;
        if actor.id == id {
            return Err(Error::invalid_field("id", problem!(CannotRemoveSelf)));
        }
        self.update_config(|config| {
            let target = config
                .staff
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| Error::NotFound(problem!(StaffNotFound, id = id)))?;
            if target.role == Role::Owner
                && config
                    .staff
                    .iter()
                    .filter(|s| s.role == Role::Owner)
                    .count()
                    == 1
            {
                return Err(Error::invalid_field("id", problem!(OwnerNeeded)));
            }
            config.staff.retain(|s| s.id != id);
            Ok(())
        })?;
        Ok(self
            .config()
            .staff
            .iter()
            .map(StoredStaff::member)
            .collect())
    }
}

#[cfg(test)]
mod tests;
