//! The nested objects of the checkout schema: addresses, agreement, notifications, branding.

use serde_json::{Map, Value};

use super::fields::{Obj, not_a_dict};
use crate::error::FieldErrors;
use crate::model::{AgreementType, AmountVariability, Frequency, NotificationEvent};

/// WhatsApp takes the first six notification events only.
const WHATSAPP_EVENTS: usize = 6;

/// ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub(super) fn address(obj: &mut Obj<'_>) {
    obj.string("line1", 128, true);
    obj.string("line2", 128, false);
    obj.string("city", 40, true);
    obj.string("state", 40, false);
    obj.string("postal_code", 12, false);
    if let Some(country) = obj.string("country", 2, true)
        && !COUNTRIES.split(' ').any(|c| c == country)
    {
        obj.out.remove("country");
        obj.errors
            .add("country", format!("\"{country}\" is not a valid choice."));
    }
}

pub(super) fn shipping_address(obj: &mut Obj<'_>) {
    address(obj);
    obj.string("first_name", 64, true);
    obj.string("last_name", 64, true);
    obj.email("email", 128, true);
    obj.string("phone", 16, true);
}

pub(super) fn agreement(obj: &mut Obj<'_>) {
    let kind = obj
        .choice("type", AgreementType::NAMES, false)
        .unwrap_or_else(|| "recurring".to_owned());
    // What a recurring agreement needs; an installment needs a seller too, the others only
    // an id and a frequency.
    const RECURRING: &[&str] = &[
        "id",
        "amount_variability",
        "cycle_interval_days",
        "expiry_date",
        "frequency",
        "total_cycles",
    ];
    let need = |k: &str| match kind.as_str() {
        "recurring" => RECURRING.contains(&k),
        "installment" => RECURRING.contains(&k) || k == "seller",
        _ => k == "id" || k == "frequency",
    };
    obj.string("id", 128, need("id"));
    obj.choice(
        "amount_variability",
        AmountVariability::NAMES,
        need("amount_variability"),
    );
    obj.date("start_date", false);
    obj.date("expiry_date", need("expiry_date"));
    obj.decimal("max_amount_per_cycle", false);
    obj.integer("cycle_interval_days", 1, 366, need("cycle_interval_days"));
    obj.integer("total_cycles", 1, 999, need("total_cycles"));
    obj.choice("frequency", Frequency::NAMES, need("frequency"));
    obj.object("seller", need("seller"), |seller| {
        seller.string("name", 128, false);
        seller.string("short_name", 64, false);
        seller.string("category_code", 64, false);
    });
    obj.object("extra_params", false, |extra| {
        extra.integer("payment_processing_day", 1, 31, false);
    });
    if !obj.out.contains_key("type") && obj.errors.is_empty() {
        obj.out.insert("type".to_owned(), Value::String(kind));
    }
}

pub(super) fn notifications(obj: &mut Obj<'_>) {
    obj.choice_list("email", NotificationEvent::NAMES);
    obj.choice_list("sms", NotificationEvent::NAMES);
    obj.choice_list("whatsapp", &NotificationEvent::NAMES[..WHATSAPP_EVENTS]);
}

pub(super) fn branding_options(obj: &mut Obj<'_>) {
    let Some(value) = obj.take("payment_methods", false) else {
        return;
    };
    let Value::Object(methods) = value else {
        obj.errors.add("payment_methods", not_a_dict(value));
        return;
    };
    let mut errors = FieldErrors::default();
    let mut out = Map::new();
    for (code, entry) in methods {
        let Value::Object(entry_map) = entry else {
            errors.add(code, not_a_dict(entry));
            continue;
        };
        let mut item = Obj::new(entry_map, Map::new(), false);
        item.string("text", 255, true);
        if let Some(color) = item.string("color", 7, true)
            && !is_hex_color(&color)
        {
            item.out.remove("color");
            item.errors.add("color", "Enter a valid value.");
        }
        item.integer("font_weight", 1, 1000, false);
        if item.errors.is_empty() {
            out.insert(code.clone(), Value::Object(item.out));
        } else {
            errors.nested(code, item.errors);
        }
    }
    if errors.is_empty() {
        obj.out
            .insert("payment_methods".to_owned(), Value::Object(out));
    } else {
        obj.errors.nested("payment_methods", errors);
    }
}

pub(super) fn is_hex_color(text: &str) -> bool {
    let Some(hex) = text.strip_prefix('#') else {
        return false;
    };
    (hex.len() == 6 || hex.len() == 3) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}
