// The app commands, as the build script declares them to Tauri's ACL (`build.rs` includes this
// file): each gets an `allow-<command>` permission, and a window may call only the commands its
// capability allows (capabilities/default.json for the cashier's window, customer.json for the
// customer's). The list is pos-core's (`pos_core::ipc`); a test in src/lib.rs keeps them equal.

/// Every command of `pos_core::ipc::COMMANDS`, in its order.
pub const APP_COMMANDS: &[&str] = &[
    "ui_ready",
    "show_customer_display",
    "app_state",
    "gateways",
    "create_sale",
    "get_sale",
    "edit_sale",
    "cancel_sale",
    "check_sale",
    "replace_sale",
    "operate_sale",
    "share_links",
    "history",
    "export_csv",
    "pick_attachment",
    "open_share",
    "save_settings",
    "save_profile",
    "use_profile",
    "delete_profile",
    "test_connection",
    "unlock",
    "lock",
    "staff_list",
    "save_staff",
    "delete_staff",
    "save_diagnostics",
    "update_settings",
    "save_update_settings",
    "check_update",
    "install_update",
    "catalog_search",
    "catalog_lookup",
    "save_catalog_item",
    "archive_catalog_item",
    "price_cart",
];
