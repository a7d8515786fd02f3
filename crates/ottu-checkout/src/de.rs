//! Lenient deserialisation helpers for server responses.
//!
//! Ottu may leave an output key out, send `null`, or send `""` for "no value" (CHECKOUT_API.md §5.1).
//! [`opt`] turns all three into `None` while still forwarding real values to the inner type's
//! own deserialiser, so `serde_path_to_error` keeps naming the exact JSON path on failure.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, Visitor};

/// `#[serde(default, deserialize_with = "crate::de::opt")]`: absent, `null` or `""` → `None`.
pub(crate) fn opt<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OptVisitor(PhantomData))
}

/// Like [`opt`] for lists: absent or `null` → empty.
pub(crate) fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(opt::<D, Vec<T>>(deserializer)?.unwrap_or_default())
}

/// For objects the seed spec defaults to `false` (`sdk_setup_preload_payload`): absent, `null`,
/// `""` or `false` → `None`.
pub(crate) fn opt_object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(FalseAsNone(OptVisitor(PhantomData)))
}

/// A list the older spec describes as a single object (`payment_methods`): one object becomes
/// a list of one; absent or `null` → empty.
pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list, an object or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Vec::<T>::deserialize(SeqAccessDeserializer::new(seq))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(|one| vec![one])
        }
    }
    deserializer.deserialize_any(OneOrMany(PhantomData))
}

/// A required text field that may come as `null`: `null` or absent → `""`.
pub(crate) fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(opt::<D, String>(deserializer)?.unwrap_or_default())
}

struct FalseAsNone<V>(V);

impl<'de, T: Deserialize<'de>> Visitor<'de> for FalseAsNone<OptVisitor<T>> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, false, null or an empty string")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if v { self.0.visit_bool(v) } else { Ok(None) }
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0.visit_str(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(seq)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map)
    }
}

struct OptVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null or an empty string")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        T::deserialize(v.into_deserializer()).map(Some)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        T::deserialize(v.into_deserializer()).map(Some)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        n: u32,
    }

    #[derive(Debug, Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::opt")]
        s: Option<String>,
        #[serde(default, deserialize_with = "super::opt")]
        inner: Option<Inner>,
        #[serde(default, deserialize_with = "super::list")]
        items: Vec<u32>,
        #[serde(default, deserialize_with = "super::opt")]
        flag: Option<bool>,
    }

    #[test]
    fn absent_null_and_empty_string_are_none() {
        for body in [
            r#"{}"#,
            r#"{"s": null, "inner": null, "items": null, "flag": null}"#,
            r#"{"s": "", "inner": "", "flag": ""}"#,
        ] {
            let p: Probe = serde_json::from_str(body).unwrap();
            assert_eq!(p.s, None, "{body}");
            assert_eq!(p.inner, None, "{body}");
            assert!(p.items.is_empty(), "{body}");
            assert_eq!(p.flag, None, "{body}");
        }
    }

    #[test]
    fn real_values_pass_through_and_errors_keep_their_path() {
        let p: Probe =
            serde_json::from_str(r#"{"s":"x","inner":{"n":3},"items":[1,2],"flag":true}"#).unwrap();
        assert_eq!(p.s.as_deref(), Some("x"));
        assert_eq!(p.inner, Some(Inner { n: 3 }));
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.flag, Some(true));

        let de = &mut serde_json::Deserializer::from_str(r#"{"inner":{"n":"three"}}"#);
        let err = serde_path_to_error::deserialize::<_, Probe>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "inner.n");
    }
}
