use super::*;

fn draft(amount: &str, currency: &str) -> SaleDraft {
    SaleDraft {
        amount: amount.into(),
        currency_code: currency.into(),
        ..Default::default()
    }
}

fn fields_of(result: Result<ValidDraft>) -> FieldErrors {
    result.unwrap_err().field_errors()
}

const KNET: &[&str] = &["knet"];

fn codes() -> Vec<String> {
    KNET.iter().map(|s| s.to_string()).collect()
}

#[test]
fn amounts_follow_the_currency_decimals() {
    let ok = validate(&draft("12.5", "KWD"), Language::En, &codes()).unwrap();
    assert_eq!(ok.amount.as_str(), "12.500");
    assert_eq!(ok.currency.as_str(), "KWD");
    assert!(
        fields_of(validate(&draft("1.2345", "KWD"), Language::En, &codes()))["amount"][0]
            .contains("at most 3 decimals")
    );
    assert!(
        fields_of(validate(&draft("1.234", "USD"), Language::En, &codes()))["amount"][0]
            .contains("at most 2 decimals")
    );
    assert!(
        fields_of(validate(&draft("1.5", "JPY"), Language::En, &codes()))["amount"][0]
            .contains("no decimals")
    );
    assert_eq!(
        validate(&draft("100", "JPY"), Language::En, &codes())
            .unwrap()
            .amount
            .as_str(),
        "100"
    );
}

#[test]
fn zero_negative_and_text_amounts_are_refused_on_amount() {
    for bad in ["0", "0.000", "-1", "abc", "", "1e3", "1,5"] {
        let fields = fields_of(validate(&draft(bad, "KWD"), Language::En, &codes()));
        assert!(fields.contains_key("amount"), "{bad}");
    }
}

/// Issue 11 point 6: the UI's rule (`ui/src/lib/format/money.ts`) for amounts typed on the CLI.
#[test]
fn typed_amounts_group_with_commas_and_take_the_point_as_decimal() {
    let amount = |text: &str, currency: &str| {
        validate(&draft(text, currency), Language::En, &codes())
            .map(|v| v.amount.as_str().to_owned())
            .map_err(|e| fields_of(Err(e))["amount"][0].clone())
    };
    for (text, kwd, usd) in [
        ("1,500", "1500.000", "1500.00"),
        ("١٬٥٠٠", "1500.000", "1500.00"),
        ("۱٬۵۰۰", "1500.000", "1500.00"),
        ("1.500", "1.500", ""),
        ("١٫٥٠٠", "1.500", ""),
        ("1.50", "1.500", "1.50"),
        ("١٫٥٠", "1.500", "1.50"),
        ("12,345,678.5", "12345678.500", "12345678.50"),
        (" 1,500 ", "1500.000", "1500.00"),
    ] {
        assert_eq!(amount(text, "KWD").as_deref(), Ok(kwd), "{text} KWD");
        if usd.is_empty() {
            assert!(
                amount(text, "USD")
                    .unwrap_err()
                    .contains("at most 2 decimals")
            );
        } else {
            assert_eq!(amount(text, "USD").as_deref(), Ok(usd), "{text} USD");
        }
    }
    assert_eq!(amount("١٬٥٠٠", "JPY").as_deref(), Ok("1500"));
    for misplaced in [
        "1,50", "12,5", "1,5000", "1234,567", "0,500", ",500", "1,,500", "1,", "1.500,00", "١٬٥٠",
    ] {
        assert_eq!(
            amount(misplaced, "KWD").unwrap_err(),
            "a comma separates thousands (1,500); use . for decimals (1.5)",
            "{misplaced}"
        );
    }
    for junk in ["1 500", "1.2.3", "1٫2٫3", "-1,500", "1،500"] {
        assert!(
            amount(junk, "KWD").unwrap_err().contains("a number like"),
            "{junk}"
        );
    }
}

#[test]
fn edited_amounts_follow_the_same_rule() {
    let edit = |text: &str| SaleEdit {
        amount: Some(text.into()),
        ..SaleEdit::default()
    };
    let kwd = CurrencyCode::parse("KWD").unwrap();
    let ok = validate_edit(&edit("١٬٥٠٠"), &kwd).unwrap();
    assert_eq!(ok.amount.unwrap().as_str(), "1500.000");
    let ok = validate_edit(&edit("١٫٥"), &kwd).unwrap();
    assert_eq!(ok.amount.unwrap().as_str(), "1.500");
    let fields = validate_edit(&edit("1,50"), &kwd)
        .unwrap_err()
        .field_errors();
    assert!(fields["amount"][0].contains("thousands"));
}

#[test]
fn an_unknown_currency_is_refused_on_currency_code() {
    let fields = fields_of(validate(&draft("1", "XYZ"), Language::En, &codes()));
    assert!(fields.contains_key("currency_code"));
}

#[test]
fn phones_become_e164_with_kuwait_by_default() {
    assert_eq!(normalize_phone("9999 9999").unwrap(), "+96599999999");
    assert_eq!(normalize_phone("9999-9999").unwrap(), "+96599999999");
    assert_eq!(normalize_phone("+965 9999 9999").unwrap(), "+96599999999");
    assert_eq!(normalize_phone("0096599999999").unwrap(), "+96599999999");
    assert_eq!(normalize_phone("96599999999").unwrap(), "+96599999999");
    // Bidi marks that Arabic apps and the phone field's default put around numbers are ignored.
    assert_eq!(
        normalize_phone("\u{200e}+965 9999\u{2069}9999").unwrap(),
        "+96599999999"
    );
    assert_eq!(
        normalize_phone("+966 50 123 4567").unwrap(),
        "+966501234567"
    );
    assert_eq!(normalize_phone("٩٩٩٩٩٩٩٩").unwrap(), "+96599999999");
    for bad in [
        "12",
        "+965123",
        "+9659999999999",
        "phone",
        "+1234567890123456",
        "+0123456789",
    ] {
        assert!(normalize_phone(bad).is_err(), "{bad}");
    }
    assert!(normalize_phone("+96599999999").unwrap().len() <= MAX_PHONE_CHARS);
}

#[test]
fn emails_get_a_sane_check() {
    for ok in ["a@b.co", "sara+shop@example.com", "x.y@mail.example.com.kw"] {
        assert!(check_email(ok).is_ok(), "{ok}");
    }
    for bad in [
        "a",
        "a@b",
        "@b.com",
        "a@b.c",
        "a b@c.com",
        "a@@b.com",
        "a@b..com",
        ".a@b.com",
    ] {
        assert!(check_email(bad).is_err(), "{bad}");
    }
    let long = format!("{}@example.com", "a".repeat(120));
    assert!(check_email(&long).unwrap_err().contains("128"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let d = SaleDraft {
        amount: "0".into(),
        currency_code: "KWD".into(),
        customer_name: Some("x".repeat(65)),
        customer_phone: Some("12".into()),
        customer_email: Some("nope".into()),
        order_no: Some("x".repeat(129)),
        expires_in_minutes: Some(0),
        due_date: Some("2020-01-01".into()),
        ..Default::default()
    };
    let fields = fields_of(validate(&d, Language::En, &codes()));
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "amount",
            "customer_email",
            "customer_name",
            "customer_phone",
            "due_date",
            "expires_in_minutes",
            "order_no"
        ]
    );
}

#[test]
fn notifications_need_the_matching_contact() {
    let d = SaleDraft {
        notify: Some(Notify {
            sms: true,
            email: true,
            whatsapp: false,
        }),
        ..draft("1", "KWD")
    };
    let fields = fields_of(validate(&d, Language::En, &codes()));
    assert!(fields.contains_key("customer_phone"));
    assert!(fields.contains_key("customer_email"));
}

#[test]
fn pg_codes_fall_back_to_the_defaults_and_must_exist() {
    let ok = validate(&draft("1", "KWD"), Language::Ar, &codes()).unwrap();
    assert_eq!(ok.pg_codes[0].as_str(), "knet");
    assert_eq!(ok.language, Language::Ar);
    let fields = fields_of(validate(&draft("1", "KWD"), Language::En, &[]));
    assert!(fields.contains_key("pg_codes"));
}

#[test]
fn attachments_are_checked_for_type_and_size() {
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("invoice.pdf");
    std::fs::write(&ok, b"%PDF-1.4").unwrap();
    let zip = dir.path().join("x.zip");
    std::fs::write(&zip, b"PK").unwrap();
    let big = dir.path().join("big.png");
    std::fs::write(&big, vec![0u8; 2_700_000]).unwrap();
    let with = |p: &std::path::Path| SaleDraft {
        attachment_path: Some(p.display().to_string()),
        ..draft("1", "KWD")
    };
    assert!(
        validate(&with(&ok), Language::En, &codes())
            .unwrap()
            .attachment
            .is_some()
    );
    for bad in [&zip, &big, &dir.path().join("missing.pdf")] {
        let fields = fields_of(validate(&with(bad), Language::En, &codes()));
        assert!(fields.contains_key("attachment_path"), "{}", bad.display());
    }
}

#[test]
fn generated_order_numbers_carry_the_kind_and_the_till() {
    let a = generate_order_no("POS", "T1");
    let b = generate_order_no("POS", "T1");
    assert_ne!(a, b);
    assert_eq!(a.len(), "POS-T1-YYYYMMDD-XXXXXX".len());
    assert!(a.starts_with("POS-T1-"));
    assert!(generate_order_no("CASH", "ALNOORCA").starts_with("CASH-ALNOORCA-"));
    assert!(OrderNo::parse(a).is_ok());
}

#[test]
fn till_ids_are_short_upper_case_letters_and_digits() {
    assert_eq!(check_till_id(" t2 ").as_deref(), Some("T2"));
    assert_eq!(check_till_id(""), None);
    assert_eq!(check_till_id("TILL-2"), None);
    assert_eq!(check_till_id("ABCDEFGHI"), None);
    assert_eq!(default_till_id("al-noor-cafe"), "ALNOORCA");
    assert_eq!(default_till_id("demo"), "DEMO");
    assert_eq!(default_till_id("--"), "TILL");
}

#[test]
fn expiration_time_uses_django_durations() {
    assert_eq!(expiration_time(30), "00:30:00");
    assert_eq!(expiration_time(90), "01:30:00");
    assert_eq!(expiration_time(24 * 60), "1 00:00:00");
    assert_eq!(expiration_time(2 * 24 * 60 + 61), "2 01:01:00");
}

#[test]
fn edits_are_checked_like_drafts() {
    let kwd = CurrencyCode::parse("KWD").unwrap();
    let edit = SaleEdit {
        amount: Some("3.25".into()),
        customer_phone: Some("".into()),
        ..Default::default()
    };
    let ok = validate_edit(&edit, &kwd).unwrap();
    assert_eq!(ok.amount.unwrap().as_str(), "3.250");
    assert_eq!(ok.customer_phone, Some(None));
    let bad = SaleEdit {
        amount: Some("0".into()),
        customer_email: Some("x".into()),
        ..Default::default()
    };
    let fields = validate_edit(&bad, &kwd).unwrap_err().field_errors();
    assert!(fields.contains_key("amount") && fields.contains_key("customer_email"));
}
