use super::*;
use clap::CommandFactory;

#[test]
fn the_grammar_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn expiry_accepts_minutes_hours_and_days() {
    assert_eq!("30m".parse::<Expiry>().unwrap().minutes, 30);
    assert_eq!("2h".parse::<Expiry>().unwrap().minutes, 120);
    assert_eq!("1d".parse::<Expiry>().unwrap().minutes, 1440);
    assert_eq!("45".parse::<Expiry>().unwrap().minutes, 45);
    assert!("0m".parse::<Expiry>().is_err());
    assert!("5w".parse::<Expiry>().is_err());
    assert!("m".parse::<Expiry>().is_err());
}

#[test]
fn request_parses_notify_lists_and_repeats() {
    let cli = Cli::try_parse_from([
        "ottu-pos",
        "request",
        "--amount",
        "12.500",
        "--notify",
        "sms,email",
        "--notify",
        "whatsapp",
    ])
    .unwrap();
    let Command::Request(args) = cli.command else {
        panic!("not a request")
    };
    let notify = args.notify.to_notify().unwrap();
    assert!(notify.sms && notify.email && notify.whatsapp);
}

#[test]
fn csv_takes_an_optional_file() {
    let parse = |args: &[&str]| {
        let cli = Cli::try_parse_from(args).unwrap();
        let Command::History(history) = cli.command else {
            panic!("not history")
        };
        history.csv
    };
    assert_eq!(parse(&["ottu-pos", "history"]), None);
    assert_eq!(parse(&["ottu-pos", "history", "--csv"]), Some(None));
    assert_eq!(
        parse(&["ottu-pos", "history", "--csv", "out.csv"]),
        Some(Some(PathBuf::from("out.csv")))
    );
}

#[test]
fn a_secret_is_never_accepted_as_a_flag_value() {
    let error = Cli::try_parse_from([
        "ottu-pos",
        "profile",
        "add",
        "--name",
        "x",
        "--url",
        "https://x",
        "--secret",
        "abc",
    ])
    .unwrap_err();
    assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
}
