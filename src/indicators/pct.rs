//! Percentages as DOMAIN.md wants them: from the exact fraction, in integers, rounded to one
//! decimal half away from zero. `100 × 7 / 2000` is 0.35 and becomes 0.4.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A percentage held as tenths of a percent (`705` is 70.5 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pct {
    tenths: i64,
}

impl Pct {
    /// `100 × part / whole`, rounded to tenths half away from zero; `None` when `whole` is 0.
    pub fn of(part: i64, whole: i64) -> Option<Pct> {
        if whole == 0 {
            return None;
        }
        let (part, whole) = (i128::from(part), i128::from(whole));
        let negative = (part < 0) != (whole < 0);
        let (part, whole) = (part.abs(), whole.abs());
        // floor(1000·part/whole + 1/2) = floor((2000·part + whole) / (2·whole))
        let magnitude = (2000 * part + whole) / (2 * whole);
        let magnitude = i64::try_from(magnitude).unwrap_or(i64::MAX);
        Some(Pct {
            tenths: if negative { -magnitude } else { magnitude },
        })
    }

    pub fn tenths(self) -> i64 {
        self.tenths
    }

    pub fn as_f64(self) -> f64 {
        self.tenths as f64 / 10.0
    }

    /// Share of 0.0..=1.0 for gauges and bars (clamped).
    pub fn ratio(self) -> f64 {
        (self.as_f64() / 100.0).clamp(0.0, 1.0)
    }
}

impl fmt::Display for Pct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.tenths < 0 { "-" } else { "" };
        let abs = self.tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", abs / 10, abs % 10)
    }
}

impl Serialize for Pct {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// Reads back what [`Serialize`] wrote (figures kept in the file, e.g. by a weekly review).
impl<'de> Deserialize<'de> for Pct {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !value.is_finite() {
            return Err(serde::de::Error::custom(
                "a percentage must be a finite number",
            ));
        }
        Ok(Pct {
            tenths: (value * 10.0).round() as i64,
        })
    }
}

/// `part / whole < threshold %`, exactly: `part × 100 < threshold × whole`.
pub fn below(part: i64, whole: i64, threshold_pct: u32) -> bool {
    i128::from(part) * 100 < i128::from(threshold_pct) * i128::from(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(part: i64, whole: i64) -> String {
        Pct::of(part, whole).map_or("none".into(), |p| p.to_string())
    }

    #[test]
    fn rounds_half_away_from_zero_from_the_exact_fraction() {
        assert_eq!(shown(7, 2000), "0.4"); // 0.35 exactly
        assert_eq!(shown(7, 10), "70.0");
        assert_eq!(shown(1, 3), "33.3");
        assert_eq!(shown(2, 3), "66.7");
        assert_eq!(shown(1, 8), "12.5");
        assert_eq!(shown(1, 16), "6.3"); // 6.25
        assert_eq!(shown(1, 1600), "0.1"); // 0.0625 -> 0.1
        assert_eq!(shown(1, 2001), "0.0"); // 0.04997...
        assert_eq!(shown(0, 5), "0.0");
        assert_eq!(shown(5, 5), "100.0");
        assert_eq!(shown(6, 5), "120.0");
        assert_eq!(shown(0, 0), "none");
        assert_eq!(shown(-7, 2000), "-0.4");
    }

    #[test]
    fn json_form() {
        let json = |p: i64, w: i64| serde_json::to_string(&Pct::of(p, w)).expect("serialises");
        assert_eq!(json(7, 10), "70.0");
        assert_eq!(json(7, 2000), "0.4");
        assert_eq!(json(1, 3), "33.3");
        assert_eq!(json(0, 0), "null");
        for (part, whole) in [(7, 10), (7, 2000), (1, 3), (2, 3), (-7, 2000), (6, 5)] {
            let back: Option<Pct> = serde_json::from_str(&json(part, whole)).expect("reads back");
            assert_eq!(back, Pct::of(part, whole), "{part}/{whole}");
        }
        let none: Option<Pct> = serde_json::from_str("null").expect("null");
        assert_eq!(none, None);
    }

    #[test]
    fn below_is_exact() {
        assert!(below(49, 100, 50));
        assert!(!below(50, 100, 50));
        assert!(!below(1, 2, 50));
        assert!(below(0, 1, 1));
        assert!(!below(0, 0, 50));
        assert!(!below(0, 5, 0));
        assert!(below(i64::MAX - 1, i64::MAX, 100));
    }
}
