//! Reminders (提醒): the list, snooze, dismiss, restore, and the settings the rules use.
//!
//! The rules are pure functions in [`crate::reminders`]; this module gathers the facts,
//! validates input and keeps the state. Reminder state (snoozed until, dismissed with a
//! reason) is this PC's workflow state, not register data: it is not written to the edit
//! log and not carried by exchange packages (a backup, being the whole file, keeps it).
//! The settings are stored in `meta` as JSON; changing them is logged like other settings.
//! "Today" is the clock's date in Beijing.

use super::Registry;
use crate::db::reminders as dbr;
use crate::error::{Error, FieldError, Result};
use crate::model::{Reminder, ReminderList, ReminderSettings};
use crate::reminders::{self, State};
use crate::validate::date;
use chrono::{Datelike, Duration, NaiveDate};

/// Longest reason kept with a snooze or a dismissal, in characters.
const REASON_MAX: usize = 200;
/// How far ahead a reminder can be snoozed, in days.
const SNOOZE_MAX_DAYS: i64 = 366;

/// What the rules raise on a day, computed once ([`Registry::reminders_raise`]) and handed to
/// an action (`Registry::reminder_snooze_in` …). The shell raises them on a reader, so that a
/// province's register (seconds of work) is not raised while holding the registry the action
/// then writes to. A snooze or a dismissal changes the state, never what is raised.
#[derive(Debug, Clone)]
pub struct Raised {
    today: NaiveDate,
    reminders: Vec<Reminder>,
}

impl Registry {
    /// Today and every reminder the rules raise on it (read in one snapshot).
    fn reminders_raised(&self) -> Result<(NaiveDate, Vec<Reminder>)> {
        let today = self.beijing_today();
        let settings = self.reminder_settings()?;
        let tx = self.conn.unchecked_transaction()?;
        let facts = dbr::facts(&tx, i64::from(today.year()))?;
        tx.finish()?;
        Ok((today, reminders::raise(&facts, &settings, today)))
    }

    /// A stamp that changes whenever [`Registry::reminders`] could answer differently: the
    /// date in Beijing, the edit-log head, the reminder states and the settings. The badge
    /// asks for this (one cheap query) on every page change and reloads the list only when it
    /// moved, so a large register is not re-checked on every click.
    pub fn reminders_revision(&self) -> Result<String> {
        Ok(format!(
            "{}|{}",
            self.beijing_today(),
            dbr::revision(&self.conn)?
        ))
    }

    /// The 提醒 page: active reminders most pressing first, then the snoozed and the
    /// dismissed ones with their state.
    pub fn reminders(&self) -> Result<ReminderList> {
        let (today, raised) = self.reminders_raised()?;
        self.reminders_merged(today, raised)
    }

    /// The 提醒 lists of `raised` with the stored states as they are now.
    fn reminders_merged(&self, today: NaiveDate, raised: Vec<Reminder>) -> Result<ReminderList> {
        Ok(reminders::merge(raised, &dbr::states(&self.conn)?, today))
    }

    /// What the rules raise today, for an action that follows (see [`Raised`]).
    pub fn reminders_raise(&self) -> Result<Raised> {
        let (today, reminders) = self.reminders_raised()?;
        Ok(Raised { today, reminders })
    }

    /// Hides a reminder through `until` (inclusive; after today, at most 366 days ahead),
    /// with an optional reason. It comes back the day after.
    pub fn reminder_snooze(
        &mut self,
        key: &str,
        until: &str,
        reason: Option<&str>,
    ) -> Result<ReminderList> {
        let raised = self.reminders_raise()?;
        self.reminder_snooze_in(raised, key, until, reason)
    }

    /// [`Registry::reminder_snooze`] with the reminders already raised.
    pub fn reminder_snooze_in(
        &mut self,
        raised: Raised,
        key: &str,
        until: &str,
        reason: Option<&str>,
    ) -> Result<ReminderList> {
        let key = key.trim();
        let until = until.trim();
        let reason = optional_reason(reason)?;
        let Raised {
            today,
            reminders: raised,
        } = raised_with(raised, key)?;
        let last = today + Duration::days(SNOOZE_MAX_DAYS);
        let mut errors = Vec::new();
        if until.is_empty() {
            errors.push(FieldError::new("until", "请填写推迟到哪一天"));
        } else {
            date(
                "until",
                "推迟到的日期",
                &Some(until.to_string()),
                &mut errors,
            );
        }
        if errors.is_empty() {
            let day = NaiveDate::parse_from_str(until, "%Y-%m-%d")
                .map_err(|_| Error::field("until", "推迟到的日期无效"))?;
            if day <= today {
                errors.push(FieldError::new(
                    "until",
                    format!("推迟到的日期应晚于今天（{}）", today.format("%Y-%m-%d")),
                ));
            } else if day > last {
                errors.push(FieldError::new(
                    "until",
                    format!(
                        "最多推迟 {SNOOZE_MAX_DAYS} 天（不晚于 {}）",
                        last.format("%Y-%m-%d")
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let state = State {
            snoozed_until: Some(until.to_string()),
            dismissed_at: None,
            reason,
        };
        dbr::put_state(&self.conn, key, &state, &self.now())?;
        self.reminders_merged(today, raised)
    }

    /// Dismisses a reminder for the period its key names, with a required reason
    /// (e.g. 已报送).
    pub fn reminder_dismiss(&mut self, key: &str, reason: &str) -> Result<ReminderList> {
        let raised = self.reminders_raise()?;
        self.reminder_dismiss_in(raised, key, reason)
    }

    /// [`Registry::reminder_dismiss`] with the reminders already raised.
    pub fn reminder_dismiss_in(
        &mut self,
        raised: Raised,
        key: &str,
        reason: &str,
    ) -> Result<ReminderList> {
        let key = key.trim();
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::field("reason", "请填写忽略的理由"));
        }
        check_reason_length(reason)?;
        let Raised {
            today,
            reminders: raised,
        } = raised_with(raised, key)?;
        let now = self.now();
        let state = State {
            snoozed_until: None,
            dismissed_at: Some(now.clone()),
            reason: Some(reason.to_string()),
        };
        dbr::put_state(&self.conn, key, &state, &now)?;
        self.reminders_merged(today, raised)
    }

    /// Undoes a snooze or a dismissal: the reminder is active again if the rules still
    /// raise it. Refused when the key has no state.
    pub fn reminder_restore(&mut self, key: &str) -> Result<ReminderList> {
        let raised = self.reminders_raise()?;
        self.reminder_restore_in(raised, key)
    }

    /// [`Registry::reminder_restore`] with the reminders already raised.
    pub fn reminder_restore_in(&mut self, raised: Raised, key: &str) -> Result<ReminderList> {
        let key = key.trim();
        if dbr::state(&self.conn, key)?.is_none() {
            raised_with(raised, key)?;
            return Err(Error::Conflict("该提醒没有被推迟或忽略，无需恢复".into()));
        }
        dbr::delete_state(&self.conn, key)?;
        self.reminders_merged(raised.today, raised.reminders)
    }

    /// The dates and thresholds the rules use (the defaults until changed).
    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        Ok(reminders::settings_from_json(
            dbr::settings(&self.conn)?.as_deref(),
        ))
    }

    /// Validates and stores the settings (field errors named as in the form:
    /// `annualReportDue`, `elderAge` …); nothing is stored when any is wrong.
    pub fn reminder_settings_save(&mut self, s: ReminderSettings) -> Result<ReminderSettings> {
        let s = reminders::check_settings(s)?;
        let json = serde_json::to_string(&s).map_err(|e| Error::Parse {
            what: "提醒设置".into(),
            detail: e.to_string(),
        })?;
        self.set_setting(dbr::SETTINGS_KEY, &json)?;
        self.reminder_settings()
    }
}

/// `raised` back when the rules raise `key` in it (active, snoozed or dismissed); a key they
/// do not raise (handled meanwhile, or out of its period) is not found.
fn raised_with(raised: Raised, key: &str) -> Result<Raised> {
    if raised.reminders.iter().any(|r| r.key == key) {
        Ok(raised)
    } else {
        Err(Error::NotFound {
            kind: "提醒（可能已处理完毕或已不在提醒期内）",
            id: key.to_string(),
        })
    }
}

fn check_reason_length(reason: &str) -> Result<()> {
    if reason.chars().count() > REASON_MAX {
        return Err(Error::field(
            "reason",
            format!("理由不能超过 {REASON_MAX} 个字"),
        ));
    }
    Ok(())
}

fn optional_reason(reason: Option<&str>) -> Result<Option<String>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = reason {
        check_reason_length(r)?;
    }
    Ok(reason.map(str::to_string))
}
