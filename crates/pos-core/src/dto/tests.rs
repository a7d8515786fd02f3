use super::*;

#[test]
fn sale_state_json_names_match_the_contract() {
    for state in SaleState::ALL {
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(json, format!("\"{}\"", state.as_str()));
        assert_eq!(SaleState::parse(state.as_str()), Some(state));
    }
    assert_eq!(SaleState::parse("voided"), None);
}

#[test]
fn open_and_final_states_do_not_overlap() {
    for state in SaleState::ALL {
        assert!(!(state.is_open() && state.is_final()), "{state}");
    }
    assert!(SaleState::Paid.is_final());
    assert!(SaleState::Pending.is_open());
    assert!(!SaleState::Unknown.is_open() && !SaleState::Unknown.is_final());
}

#[test]
fn draft_accepts_the_minimal_ui_object() {
    let draft: SaleDraft =
        serde_json::from_str(r#"{"amount":"12.5","currency_code":"KWD"}"#).unwrap();
    assert_eq!(draft.amount, "12.5");
    assert!(draft.customer_phone.is_none());
    let draft: SaleDraft = serde_json::from_str(
        r#"{"amount":"1","currency_code":"KWD","notify":{"sms":true},"language":"ar"}"#,
    )
    .unwrap();
    assert!(draft.notify.unwrap().sms);
    assert_eq!(draft.language, Some(Language::Ar));
}

#[test]
fn error_code_json_names_match_the_contract() {
    let names: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|code| {
            serde_json::to_value(code)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "invalid_input",
            "api_rejected",
            "unauthorized",
            "forbidden",
            "not_found",
            "network",
            "ambiguous",
            "not_configured",
            "locked",
            "not_allowed",
            "internal"
        ]
    );
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
    }
    assert_eq!(ErrorCode::parse("wrong_state"), None);
}

/// One value of each `Error` variant; the exhaustive match makes a new variant a compile
/// error here until it is added (and so checked to map to a known code).
fn one_error_of_each_variant() -> Vec<Error> {
    let errors = vec![
        Error::invalid_field("amount", crate::problem!(AmountZero)),
        Error::ApiRejected {
            problem: crate::problem!(ServerRefused, server_text = "no"),
            fields: FieldErrors::new(),
        },
        Error::Unauthorized,
        Error::Forbidden {
            detail: "no permission".into(),
        },
        Error::NotFound(crate::problem!(SaleNotFound, id = "s1")),
        Error::network("connection refused"),
        Error::Ambiguous {
            sale_id: "s1".into(),
            detail: "timed out".into(),
        },
        Error::WrongState(crate::problem!(SaleNotEditable, state = "paid")),
        Error::NotConfigured(crate::problem!(HomeDirMissing)),
        Error::Locked,
        Error::NotAllowed(crate::problem!(
            RoleMayNot,
            role = "cashier",
            action = "refund payments"
        )),
        Error::Store(rusqlite::Error::QueryReturnedNoRows),
        Error::Io {
            context: "cannot write the csv file".into(),
            source: std::io::Error::other("disk full"),
        },
        Error::Internal("bug".into()),
    ];
    for error in &errors {
        match error {
            Error::InvalidInput { .. }
            | Error::ApiRejected { .. }
            | Error::Unauthorized
            | Error::Forbidden { .. }
            | Error::NotFound(_)
            | Error::Network(_)
            | Error::Ambiguous { .. }
            | Error::WrongState(_)
            | Error::NotConfigured(_)
            | Error::Locked
            | Error::NotAllowed(_)
            | Error::Store(_)
            | Error::Io { .. }
            | Error::Internal(_) => {}
        }
    }
    errors
}

#[test]
fn every_core_error_maps_to_its_own_command_error_code() {
    for error in one_error_of_each_variant() {
        let code = error.code();
        let message = error.to_string();
        let command_error = CommandError::from(error);
        assert_eq!(command_error.code, code, "{message}");
        assert_eq!(command_error.message, message);
        assert_eq!(command_error.problem.message, message);
    }
}

#[test]
fn every_core_error_is_a_problem_code_with_its_parameters() {
    for error in one_error_of_each_variant() {
        let problem = error.problem();
        let mut wanted = problem.code.params();
        wanted.sort_unstable();
        assert_eq!(
            problem
                .params
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            wanted,
            "{}",
            problem.code
        );
    }
}

#[test]
fn command_error_serialises_as_code_message_and_fields() {
    let error = CommandError::from(Error::invalid_field(
        "customer_email",
        crate::problem!(EmailTooLong, max = 128),
    ));
    let problem = serde_json::json!({
        "code": "email_too_long",
        "params": { "max": "128" },
        "message": "the email is too long: at most 128 characters"
    });
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        serde_json::json!({
            "code": "invalid_input",
            "problem": problem,
            "message": "the email is too long: at most 128 characters",
            "fields": { "customer_email": [problem] },
            "sale_id": null
        })
    );
    let json = serde_json::to_value(CommandError::new(
        ErrorCode::Network,
        crate::problem!(ServerTimeout),
    ))
    .unwrap();
    assert_eq!(json["fields"], serde_json::json!({}));
}

#[test]
fn an_ambiguous_create_names_the_sale_it_left_unknown() {
    let error = CommandError::from(Error::Ambiguous {
        sale_id: "sale_1".into(),
        detail: "timed out".into(),
    });
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json["code"], "ambiguous");
    assert_eq!(json["sale_id"], "sale_1");
}
