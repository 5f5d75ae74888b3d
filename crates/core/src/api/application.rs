//! Applications for the municipal list: export profiles (shipped and the user's copies) and
//! the pre-flight check, gathered from the registry's own reads.
//!
//! User profiles are kept in the registry itself (`meta` key `application_profiles`, a JSON
//! array), written in one transaction with an edit-log row: they travel with the registry's
//! backups and exchange packages, work for registries in memory, and every change to a limit
//! that decides whether an application may be sent is on record with who and when.

use super::Registry;
use crate::application::{preflight, profile, ApplicationData, LinkedMedia};
use crate::db::{self, log};
use crate::error::{Error, FieldError, Result};
use crate::model::{
    ExportProfile, MediaQuery, PackageOptions, PackageSummary, PreflightReport, ProfileSummary,
};
use chrono::Datelike;

/// The `meta` key holding the user's profiles.
const META_KEY: &str = "application_profiles";
/// Edit-log entity of a user profile.
const ENTITY: &str = "application_profile";

fn summary(p: &ExportProfile, shipped: bool) -> ProfileSummary {
    ProfileSummary {
        name: p.name.clone(),
        title: p.title.clone(),
        version: p.version,
        level: p.level.clone(),
        shipped,
        based_on: p.based_on.clone(),
    }
}

impl Registry {
    fn user_profiles(&self) -> Result<Vec<ExportProfile>> {
        match db::meta_get(&self.conn, META_KEY)? {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::Parse {
                what: "已保存的申报配置".into(),
                detail: e.to_string(),
            }),
        }
    }

    /// Every profile: the shipped ones first, then the user's copies by name.
    pub fn application_profiles(&self) -> Result<Vec<ProfileSummary>> {
        let mut out: Vec<ProfileSummary> = profile::shipped()?
            .iter()
            .map(|p| summary(p, true))
            .collect();
        let mut user = self.user_profiles()?;
        user.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(user.iter().map(|p| summary(p, false)));
        Ok(out)
    }

    /// One profile, whole, by name.
    pub fn application_profile(&self, name: &str) -> Result<ExportProfile> {
        let name = name.trim();
        profile::shipped()?
            .into_iter()
            .chain(self.user_profiles()?)
            .find(|p| p.name == name)
            .ok_or_else(|| Error::NotFound {
                kind: "申报配置",
                id: name.to_string(),
            })
    }

    /// Saves a user's profile (a new copy, or a change to one of the user's copies). A shipped
    /// profile is never changed in place: saving under its name is refused, so the clerk saves
    /// a copy under a new name (`basedOn` names the original). Logged with the whole profile.
    pub fn application_profile_save(&mut self, input: ExportProfile) -> Result<ProfileSummary> {
        let p = profile::normalize(input);
        if profile::is_shipped(&p.name) {
            return Err(Error::Validation(vec![FieldError::new(
                "name",
                format!(
                    "“{}”是软件自带的申报配置，不能直接修改；请换一个名称另存为副本",
                    p.name
                ),
            )]));
        }
        profile::validate(&p)?;
        if let Some(base) = &p.based_on {
            self.application_profile(base)
                .map_err(|_| Error::field("basedOn", format!("没有名为“{base}”的申报配置")))?;
        }
        let mut all = self.user_profiles()?;
        let old = all.iter().position(|q| q.name == p.name);
        let old_json = old.and_then(|i| serde_json::to_string(&all[i]).ok());
        if old.is_some_and(|i| all[i] == p) {
            return Ok(summary(&p, false));
        }
        match old {
            Some(i) => all[i] = p.clone(),
            None => all.push(p.clone()),
        }
        let text = serde_json::to_string(&all).map_err(|e| Error::Parse {
            what: "申报配置".into(),
            detail: e.to_string(),
        })?;
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        db::meta_set(&tx, META_KEY, &text)?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: ENTITY,
                entity_id: &p.name,
                action: if old.is_some() { "update" } else { "create" },
                field: Some("profile"),
                old_value: old_json,
                new_value: serde_json::to_string(&p).ok(),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(summary(&p, false))
    }

    /// Removes one of the user's profiles (shipped ones cannot be removed); the log row keeps
    /// the whole profile as it was.
    pub fn application_profile_delete(&mut self, name: &str, reason: &str) -> Result<()> {
        let reason = super::require_reason(reason)?;
        let name = name.trim();
        if profile::is_shipped(name) {
            return Err(Error::Conflict(format!(
                "“{name}”是软件自带的申报配置，不能删除"
            )));
        }
        let mut all = self.user_profiles()?;
        let i = all
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::NotFound {
                kind: "申报配置",
                id: name.to_string(),
            })?;
        let removed = all.remove(i);
        let text = serde_json::to_string(&all).map_err(|e| Error::Parse {
            what: "申报配置".into(),
            detail: e.to_string(),
        })?;
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        db::meta_set(&tx, META_KEY, &text)?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: ENTITY,
                entity_id: name,
                action: "delete",
                field: Some("profile"),
                old_value: serde_json::to_string(&removed).ok(),
                reason: Some(reason),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Live media linked to a record, one entry per link of that record, by role then order.
    fn linked_media(&self, entity: &str, id: &str) -> Result<Vec<LinkedMedia>> {
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let rows = self.media_list(&MediaQuery {
                entity: Some(entity.into()),
                entity_id: Some(id.into()),
                page: Some(page),
                page_size: Some(500),
                ..Default::default()
            })?;
            for row in &rows.rows {
                let media = self.media_get(&row.id)?;
                for l in media
                    .links
                    .iter()
                    .filter(|l| l.entity == entity && l.entity_id == id)
                {
                    out.push(LinkedMedia {
                        media: media.clone(),
                        role: l.role.clone(),
                        ord: l.ord,
                    });
                }
            }
            if page * rows.page_size >= rows.total || rows.rows.is_empty() {
                break;
            }
            page += 1;
        }
        out.sort_by(|a, b| a.role.cmp(&b.role).then(a.ord.cmp(&b.ord)));
        Ok(out)
    }

    /// Everything an item's application is made from (the pre-flight check and the package
    /// read this). Refused for an item in the recycle bin.
    pub fn application_data(&self, item_id: &str) -> Result<ApplicationData> {
        let item = self.item_get(item_id)?;
        if item.deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: "项目",
                id: item_id.to_string(),
            });
        }
        let batch = item
            .batch_id
            .as_deref()
            .map(|b| self.batch_get(b))
            .transpose()?;
        let plan = crate::db::plans::live_of_item(&self.conn, &item.id)?
            .into_iter()
            .max_by_key(|p| p.start_year)
            .map(|p| self.plan_get(&p.id))
            .transpose()?;
        let batch_media = match &batch {
            Some(b) => self.linked_media("batch", &b.id)?,
            None => Vec::new(),
        };
        Ok(ApplicationData {
            recognitions: self.recognition_list_for_item(&item.id)?,
            lineage: self.lineage_get(&item.id)?,
            media: self.linked_media("item", &item.id)?,
            batch_media,
            plan,
            batch,
            this_year: i64::from((self.clock)().year()),
            item,
        })
    }

    /// The pre-flight check (申报体检) of an item against a profile (the default 枣庄市级
    /// profile when `None`): every finding with its severity, target and Chinese message.
    pub fn application_check(
        &self,
        item_id: &str,
        profile: Option<&str>,
    ) -> Result<PreflightReport> {
        let profile = self.application_profile(profile.unwrap_or(profile::DEFAULT_PROFILE))?;
        let data = self.application_data(item_id)?;
        Ok(preflight::check(&data, &profile))
    }

    /// Records that the user exports despite the pre-flight errors: an edit-log row on the item
    /// with action `override`, the reason given, and the errors overridden. Refused without a
    /// reason, and when there is no error to override. Returns the report overridden.
    pub fn application_override(
        &mut self,
        item_id: &str,
        profile: Option<&str>,
        reason: &str,
    ) -> Result<PreflightReport> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::field("reason", "带着错误导出申报材料时请填写原因"));
        }
        let report = self.application_check(item_id, profile)?;
        self.log_override(&report, reason)?;
        Ok(report)
    }

    /// Writes the override of `report`'s errors to the edit log (see
    /// [`Registry::application_override`]); the package writer calls it with the report it
    /// has just made, so the check is not run twice.
    pub(crate) fn log_override(&mut self, report: &PreflightReport, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::field("reason", "带着错误导出申报材料时请填写原因"));
        }
        if report.ok_to_export {
            return Err(Error::Conflict("申报体检没有错误，无需越过".into()));
        }
        let overridden: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.severity == crate::model::Severity::Error)
            .map(|f| f.message.as_str())
            .collect();
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: "item",
                entity_id: &report.item_id,
                action: "override",
                field: Some("application"),
                old_value: Some(format!("申报配置：{}", report.profile_title)),
                new_value: Some(format!(
                    "越过 {} 个错误：{}",
                    overridden.len(),
                    overridden.join("；")
                )),
                reason: Some(reason.to_string()),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Writes the application package of an item into a new folder inside `opts.out_dir`
    /// (and a ZIP beside it when asked): see [`crate::application::package`].
    pub fn application_export(
        &mut self,
        item_id: &str,
        opts: &PackageOptions,
    ) -> Result<PackageSummary> {
        crate::application::package::export(self, item_id, opts)
    }
}
