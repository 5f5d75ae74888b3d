//! The Shandong 非遗月 (intangible-cultural-heritage month) in Gregorian dates.
//!
//! Shandong holds its 非遗月 every year from lunar 腊月二十三 (小年, the 23rd of the
//! twelfth month) to the following 二月初二 (the 2nd of the ordinary second month,
//! never a leap second month), so it always contains the Spring Festival. This
//! module owns turning that rule into Gregorian dates. The lunar ↔ solar
//! conversion itself is the `chinese-lunisolar-calendar` crate's, whose tables
//! cover the lunar years that begin in 1901–2100; hence 非遗月 can be computed for
//! the Spring-Festival years 1902–2100.

use crate::error::{Error, Result};
use chinese_lunisolar_calendar::{
    LunisolarDate, MAX_YEAR_IN_SOLAR_CALENDAR, MIN_YEAR_IN_SOLAR_CALENDAR,
};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One 非遗月 as Gregorian dates, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FeiyiMonth {
    /// 腊月二十三 of the lunar year that ends at the Spring Festival.
    pub start: NaiveDate,
    /// 二月初二 of the lunar year that begins at the Spring Festival.
    pub end: NaiveDate,
}

impl FeiyiMonth {
    /// Whether `date` falls within this 非遗月 (both ends included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// The first Spring-Festival year whose 非遗月 can be computed (its 腊月 is in the
/// library's first lunar year).
fn first_year() -> i32 {
    i32::from(MIN_YEAR_IN_SOLAR_CALENDAR) + 1
}

/// The last Spring-Festival year whose 非遗月 can be computed.
fn last_year() -> i32 {
    i32::from(MAX_YEAR_IN_SOLAR_CALENDAR)
}

fn out_of_range(year: i32) -> Error {
    Error::field(
        "year",
        format!(
            "{year}年的非遗月超出农历换算范围（仅支持{}–{}年）",
            first_year(),
            last_year()
        ),
    )
}

/// The Gregorian date of day `day` of the ordinary (non-leap) lunar month `month`
/// in the lunar year that begins in Gregorian year `lunar_year`.
fn lunar_to_solar(lunar_year: i32, month: u8, day: u8, asked: i32) -> Result<NaiveDate> {
    let year = u16::try_from(lunar_year).map_err(|_| out_of_range(asked))?;
    LunisolarDate::from_ymd(year, month, false, day)
        .map(LunisolarDate::to_naive_date)
        .map_err(|_| out_of_range(asked))
}

/// The 非遗月 that contains the Spring Festival of Gregorian year
/// `spring_festival_year`: from 腊月二十三 of the lunar year before (which can fall
/// in January of that year) to 二月初二 of the lunar year that begins at that
/// Spring Festival.
///
/// Years outside 1902–2100 give a validation error on field `year`.
pub fn feiyi_month(spring_festival_year: i32) -> Result<FeiyiMonth> {
    if !(first_year()..=last_year()).contains(&spring_festival_year) {
        return Err(out_of_range(spring_festival_year));
    }
    let start = lunar_to_solar(spring_festival_year - 1, 12, 23, spring_festival_year)?;
    let end = lunar_to_solar(spring_festival_year, 2, 2, spring_festival_year)?;
    Ok(FeiyiMonth { start, end })
}

/// Whether `date` falls within a 非遗月.
///
/// Only the 非遗月 of the date's own Gregorian year needs looking at: 腊月二十三 is
/// at most 8 days before a Spring Festival, which is never before 21 January, so
/// the next year's 非遗月 never starts before mid-January of the next year, and a
/// late-December date is never inside one. Dates whose year is outside 1902–2100
/// give the out-of-range validation error.
pub fn in_feiyi_month(date: NaiveDate) -> Result<bool> {
    Ok(feiyi_month(date.year())?.contains(date))
}

/// The 非遗月 in progress on `today`, or else the next one to start.
pub fn next_feiyi_month(today: NaiveDate) -> Result<FeiyiMonth> {
    let this_year = feiyi_month(today.year())?;
    if today <= this_year.end {
        Ok(this_year)
    } else {
        feiyi_month(today.year() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chinese_lunisolar_calendar::{LunarMonth, LunisolarYear, SolarYear};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// (lunar year, month, is leap, day) of a Gregorian date, by the library's
    /// solar → lunar direction (the implementation uses lunar → solar).
    fn lunar_of(date: NaiveDate) -> (u16, u8, bool, u8) {
        let l = LunisolarDate::from_date(date).unwrap();
        let m = l.to_lunar_month();
        (
            l.to_lunisolar_year().to_u16(),
            m.to_u8(),
            m.is_leap_month(),
            l.to_lunar_day().to_u8(),
        )
    }

    /// Recomputes a 非遗月 by walking the days of January–April and asking the
    /// library which lunar day each one is.
    fn by_scanning(year: i32) -> FeiyiMonth {
        let lunar_year = u16::try_from(year).unwrap();
        let mut start = None;
        let mut end = None;
        let mut day = d(year, 1, 1);
        while day < d(year, 5, 1) {
            match lunar_of(day) {
                (y, 12, false, 23) if y == lunar_year - 1 => start = Some(day),
                (y, 2, false, 2) if y == lunar_year => end = Some(day),
                _ => {}
            }
            day = day.succ_opt().unwrap();
        }
        FeiyiMonth {
            start: start.unwrap(),
            end: end.unwrap(),
        }
    }

    /// The rule stated on lunar dates: 腊月廿三 to the end of 腊月, all of 正月
    /// (a leap 正月 too), and 二月初一–初二 of the ordinary second month.
    fn in_by_lunar_rule(date: NaiveDate) -> bool {
        let (_, month, leap, day) = lunar_of(date);
        match (month, leap) {
            (12, _) => day >= 23,
            (1, _) => true,
            (2, false) => day <= 2,
            _ => false,
        }
    }

    #[test]
    fn the_four_known_years() {
        let cases = [
            (2023, d(2023, 1, 14), d(2023, 2, 21)),
            (2024, d(2024, 2, 2), d(2024, 3, 11)),
            (2025, d(2025, 1, 22), d(2025, 3, 1)),
            (2026, d(2026, 2, 10), d(2026, 3, 20)),
        ];
        for (year, start, end) in cases {
            let m = feiyi_month(year).unwrap();
            assert_eq!(m, FeiyiMonth { start, end }, "{year}");
            assert_eq!(m, by_scanning(year), "{year}");
        }
    }

    #[test]
    fn agrees_with_the_library_in_other_years() {
        for year in [
            2023, 2024, 2025, 2026, 2030, 2050, 1902, 1950, 2000, 2033, 2100,
        ] {
            let m = feiyi_month(year).unwrap();
            assert_eq!(m, by_scanning(year), "{year}");
            // The Spring Festival (正月初一) lies inside.
            let spring = LunisolarDate::from_ymd(u16::try_from(year).unwrap(), 1, false, 1)
                .unwrap()
                .to_naive_date();
            assert!(m.contains(spring), "{year}");
            assert_eq!(spring.year(), year);
        }
    }

    #[test]
    fn every_day_matches_the_lunar_rule() {
        for year in [2023, 2024, 2025, 2026, 2030, 2050] {
            let mut day = d(year, 1, 1);
            while day.year() == year {
                assert_eq!(in_feiyi_month(day).unwrap(), in_by_lunar_rule(day), "{day}");
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn boundary_days_are_inclusive() {
        for year in [2023, 2024, 2025, 2026, 2030, 2050] {
            let m = feiyi_month(year).unwrap();
            assert!(in_feiyi_month(m.start).unwrap(), "{year} start");
            assert!(in_feiyi_month(m.end).unwrap(), "{year} end");
            assert!(
                !in_feiyi_month(m.start.pred_opt().unwrap()).unwrap(),
                "{year}"
            );
            assert!(
                !in_feiyi_month(m.end.succ_opt().unwrap()).unwrap(),
                "{year}"
            );
        }
    }

    #[test]
    fn january_and_december_dates() {
        // 2025 and 2023 start in January.
        assert!(in_feiyi_month(d(2025, 1, 22)).unwrap());
        assert!(!in_feiyi_month(d(2025, 1, 21)).unwrap());
        assert!(in_feiyi_month(d(2023, 1, 31)).unwrap());
        assert!(in_feiyi_month(d(2023, 1, 14)).unwrap());
        // 2024 starts in February, so mid-January is outside.
        assert!(!in_feiyi_month(d(2024, 1, 20)).unwrap());
        // Late December is never inside.
        for year in [2022, 2023, 2024, 2025, 2050] {
            assert!(!in_feiyi_month(d(year, 12, 31)).unwrap());
        }
    }

    #[test]
    fn leap_second_month_is_not_used() {
        // 2023 has a leap 二月; the 非遗月 ends on the ordinary 二月初二.
        let year_2023 = LunisolarYear::from_solar_year(SolarYear::from_u16(2023)).unwrap();
        assert_eq!(
            year_2023.get_leap_lunar_month(),
            Some(LunarMonth::LeapSecond)
        );
        let leap_day2 = LunisolarDate::from_ymd(2023, 2, true, 2)
            .unwrap()
            .to_naive_date();
        assert_eq!(leap_day2, d(2023, 3, 23));
        let m = feiyi_month(2023).unwrap();
        assert_eq!(m.end, d(2023, 2, 21));
        assert!(m.end < leap_day2);
        assert!(!in_feiyi_month(leap_day2).unwrap());
        assert_eq!(lunar_of(m.end), (2023, 2, false, 2));
    }

    #[test]
    fn no_leap_twelfth_month_in_the_library_range() {
        // The start uses the ordinary 腊月; that is unambiguous only while no year
        // has a leap 腊月, which holds for every year the library covers.
        for year in MIN_YEAR_IN_SOLAR_CALENDAR..=MAX_YEAR_IN_SOLAR_CALENDAR {
            let y = LunisolarYear::from_solar_year(SolarYear::from_u16(year)).unwrap();
            assert_ne!(
                y.get_leap_lunar_month(),
                Some(LunarMonth::LeapTwelfth),
                "{year}"
            );
        }
    }

    #[test]
    fn next_month_from_various_days() {
        let m2024 = feiyi_month(2024).unwrap();
        let m2025 = feiyi_month(2025).unwrap();
        assert_eq!(next_feiyi_month(d(2024, 1, 1)).unwrap(), m2024);
        assert_eq!(next_feiyi_month(d(2024, 2, 2)).unwrap(), m2024);
        assert_eq!(next_feiyi_month(d(2024, 2, 20)).unwrap(), m2024);
        assert_eq!(next_feiyi_month(d(2024, 3, 11)).unwrap(), m2024);
        assert_eq!(next_feiyi_month(d(2024, 3, 12)).unwrap(), m2025);
        assert_eq!(next_feiyi_month(d(2024, 12, 31)).unwrap(), m2025);
        assert_eq!(next_feiyi_month(d(2025, 1, 21)).unwrap(), m2025);
    }

    fn assert_out_of_range(e: Error) {
        assert_eq!(e.code(), "validation");
        assert_eq!(e.fields().len(), 1);
        assert_eq!(e.fields()[0].field, "year");
        assert!(e.fields()[0].message.contains("超出农历换算范围"), "{e}");
    }

    #[test]
    fn years_outside_the_library_range() {
        assert!(feiyi_month(1902).is_ok());
        assert!(feiyi_month(2100).is_ok());
        for year in [1901, 1900, 2101, 0, -1, i32::MIN, i32::MAX] {
            assert_out_of_range(feiyi_month(year).unwrap_err());
        }
        assert_out_of_range(in_feiyi_month(d(1901, 6, 1)).unwrap_err());
        assert_out_of_range(in_feiyi_month(d(2101, 1, 10)).unwrap_err());
        assert_out_of_range(next_feiyi_month(d(2100, 6, 1)).unwrap_err());
        assert!(next_feiyi_month(d(2100, 1, 1)).is_ok());
    }
}
