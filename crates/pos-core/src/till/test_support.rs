//! What the till's own tests share: a till on a fresh config and data folder with its staff.

use std::sync::Arc;

use crate::secrets::MemorySecretStore;
use crate::staff::{Role, StaffInput};
use crate::till::{Till, TillDirs};

/// A till in a temporary folder (kept alive by the returned guard) on the demo profile, with its
/// owner Huda (PIN 1234, id `staff-1`), a cashier Ali (1111) and a manager Mona (2222).
pub(crate) fn till() -> (Till, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let dirs = TillDirs {
        config_dir: root.path().join("config"),
        data_dir: root.path().join("data"),
    };
    let till = Till::open(dirs, Arc::new(MemorySecretStore::new())).unwrap();
    till.save_staff(StaffInput {
        id: Some("staff-1".into()),
        name: "Huda".into(),
        role: None,
        pin: Some("1234".into()),
    })
    .unwrap();
    for (name, role, pin) in [
        ("Ali", Role::Cashier, "1111"),
        ("Mona", Role::Manager, "2222"),
    ] {
        till.save_staff(StaffInput {
            id: None,
            name: name.into(),
            role: Some(role),
            pin: Some(pin.into()),
        })
        .unwrap();
    }
    (till, root)
}
