//! Inheritors, recognitions and their status events, yearly plans, evaluations and
//! subsidies, lineage, protection units and their checks.

use super::{log_create, log_diff, require_reason, Registry};
use crate::db::{self, inheritors as dbi, items, lineage as dbl, log, units as dbu};
use crate::error::{Error, FieldError, Result};
use crate::ident;
use crate::model::*;
use crate::validate::{clean, date};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Checks `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a partial birth date).
fn partial_date(field: &str, label: &str, value: &Option<String>, errors: &mut Vec<FieldError>) {
    let Some(v) = value else { return };
    let ok = match v.len() {
        4 => v.parse::<i32>().is_ok_and(|y| (1800..=2200).contains(&y)),
        7 => NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d").is_ok(),
        10 => NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok(),
        _ => false,
    };
    if !ok {
        errors.push(FieldError::new(
            field,
            format!("{label}“{v}”无效，应写作 1956、1956-03 或 1956-03-12"),
        ));
    }
}

fn years_ok(field: &str, year: i64, errors: &mut Vec<FieldError>) {
    if !(1900..=2200).contains(&year) {
        errors.push(FieldError::new(field, "年份应在 1900 到 2200 之间"));
    }
}

fn live_item(
    reg: &Registry,
    id: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<i64>> {
    match items::key(&reg.conn, id) {
        Ok(k) if k.deleted_at.is_none() => Ok(Some(k.rowid)),
        Ok(_) => {
            errors.push(FieldError::new(field, "所选项目已删除"));
            Ok(None)
        }
        Err(Error::NotFound { .. }) => {
            errors.push(FieldError::new(field, "所选项目不存在"));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn live_person(
    reg: &Registry,
    id: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<(i64, String)>> {
    match dbi::key(&reg.conn, id) {
        Ok((rowid, None, name)) => Ok(Some((rowid, name))),
        Ok(_) => {
            errors.push(FieldError::new(field, "所选传承人已删除"));
            Ok(None)
        }
        Err(Error::NotFound { .. }) => {
            errors.push(FieldError::new(field, "所选传承人不存在"));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn birth_year(birth: Option<&str>) -> Option<i64> {
    birth.and_then(|b| b.get(0..4)).and_then(|y| y.parse().ok())
}

impl Registry {
    /// Today by the registry's clock (ages in lists and exports).
    pub(super) fn today(&self) -> NaiveDate {
        (self.clock)().date_naive()
    }

    // ------------------------------------------------------------- inheritors

    /// One page of inheritors, identity numbers and phones masked.
    pub fn inheritor_list(&self, query: &InheritorQuery) -> Result<InheritorPage> {
        dbi::list(&self.conn, query, self.today())
    }

    /// A person's whole record, numbers unmasked, with warnings.
    pub fn inheritor_get(&self, id: &str) -> Result<InheritorDetail> {
        let (fields, created_at, updated_at, deleted_at, deleted_reason) =
            dbi::fields(&self.conn, id)?;
        let (rowid, ..) = dbi::key(&self.conn, id)?;
        let recognitions = dbi::recognitions_of(&self.conn, "r.inheritor_id = ?1", rowid)?;
        let evaluations = dbi::evaluations(&self.conn, rowid)?;
        let subsidies = dbi::subsidies(&self.conn, rowid)?;
        let mut warnings = Vec::new();
        let item_names: HashMap<&str, &str> = recognitions
            .iter()
            .map(|r| (r.item_id.as_str(), r.item_name.as_str()))
            .collect();
        let mut fails: BTreeMap<&str, i64> = BTreeMap::new();
        for e in evaluations.iter().filter(|e| e.grade == "不合格") {
            *fails.entry(e.item_id.as_str()).or_default() += 1;
        }
        for (item, n) in fails {
            if n >= 2 {
                warnings.push(format!(
                    "“{}”的年度评估已累计 {n} 次不合格，符合取消代表性传承人资格的条件，请按程序处理。",
                    item_names.get(item).copied().unwrap_or("该项目")
                ));
            }
        }
        for r in &recognitions {
            if r.doc_number.is_none() {
                warnings.push(format!("“{}”{}认定记录缺少文号。", r.item_name, r.level));
            }
            if let Some(y) = dbi::ability_lost_year(&self.conn, rowid, &r.item_id)? {
                warnings.push(format!(
                    "“{}”已丧失传承能力（{y} 年），自 {} 年起停止发放传承补助。",
                    r.item_name,
                    y + 1
                ));
            }
        }
        let portrait_media_id = dbi::portrait_of(&self.conn, id)?;
        Ok(InheritorDetail {
            id: id.to_string(),
            id_number_masked: fields.id_number.as_deref().map(ident::mask_id_number),
            phone_masked: fields.phone.as_deref().map(ident::mask_phone),
            age: if fields.death_date.is_some() {
                None
            } else {
                dbi::age(fields.birth_date.as_deref(), self.today())
            },
            fields,
            recognitions,
            training_plans: dbi::training_plans(&self.conn, rowid)?,
            evaluations,
            subsidies,
            warnings,
            portrait_media_id,
            created_at,
            updated_at,
            deleted_at,
            deleted_reason,
        })
    }

    /// Creates or updates a person after validating the identity number, dates and phone.
    pub fn inheritor_save(&mut self, input: InheritorInput) -> Result<InheritorDetail> {
        let mut i = normalize_person(input);
        let mut errors = Vec::new();
        let n = i.name.chars().count();
        if n == 0 {
            errors.push(FieldError::new("name", "请填写姓名"));
        } else if n > 40 {
            errors.push(FieldError::new("name", "姓名不能超过 40 个字"));
        }
        if i.sex.as_deref().is_some_and(|s| s != "男" && s != "女") {
            errors.push(FieldError::new("sex", "性别应为“男”或“女”"));
        }
        partial_date("birthDate", "出生年月", &i.birth_date, &mut errors);
        date("deathDate", "去世日期", &i.death_date, &mut errors);
        if let Some(y) = i.practice_since {
            if y < 1900 || y > self.today().year() as i64 {
                errors.push(FieldError::new(
                    "practiceSince",
                    "从艺起始年份不在合理范围内",
                ));
            }
        }
        if let Some(idn) = i.id_number.clone() {
            match ident::check_id_number(&idn, self.today()) {
                Ok(info) => {
                    // Fill what the number states when the form left it empty.
                    if i.sex.is_none() {
                        i.sex = Some(info.sex.to_string());
                    }
                    if i.birth_date.is_none() {
                        i.birth_date = Some(info.birth_date.format("%Y-%m-%d").to_string());
                    }
                    for problem in ident::check_id_consistency(
                        &info,
                        i.birth_date.as_deref(),
                        i.sex.as_deref(),
                    ) {
                        errors.push(FieldError::new("idNumber", problem));
                    }
                    if let Some(holder) =
                        dbi::id_number_holder(&self.conn, &info.normalized, i.id.as_deref())?
                    {
                        errors.push(FieldError::new(
                            "idNumber",
                            format!("该身份证号已登记在“{holder}”名下"),
                        ));
                    }
                    i.id_number = Some(info.normalized);
                }
                Err(msg) => errors.push(FieldError::new("idNumber", msg)),
            }
        }
        if let Some(p) = i.phone.clone() {
            match ident::check_phone(&p) {
                Ok(norm) => i.phone = Some(norm),
                Err(msg) => errors.push(FieldError::new("phone", msg)),
            }
        }
        let existing = match &i.id {
            Some(id) => {
                let (_, deleted, _) = dbi::key(&self.conn, id)?;
                if deleted.is_some() {
                    return Err(Error::Deleted {
                        kind: "传承人",
                        id: id.clone(),
                    });
                }
                true
            }
            None => false,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let uid = i.id.clone().unwrap_or_else(db::new_uid);
        self.write_logged(
            "inheritor",
            &uid,
            existing,
            dbi::snapshot,
            |c, now| {
                if existing {
                    dbi::update(c, &uid, &i, now)
                } else {
                    dbi::insert(c, &uid, &i, now)
                }
            },
            Some(("inheritor", dbi::search_text)),
        )?;
        self.inheritor_get(&uid)
    }

    /// Moves a person to the recycle bin with a reason.
    pub fn inheritor_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        let (_, deleted, _) = dbi::key(&self.conn, id)?;
        if deleted.is_some() {
            return Err(Error::Deleted {
                kind: "传承人",
                id: id.into(),
            });
        }
        self.set_in_bin(
            "inheritor",
            id,
            Some(reason),
            |c, d, now| dbi::set_deleted(c, id, d, now),
            Some(("inheritor", dbi::search_text)),
        )?;
        Ok(())
    }

    /// Restores a person from the recycle bin.
    pub fn inheritor_restore(&mut self, id: &str) -> Result<InheritorDetail> {
        let (_, deleted, _) = dbi::key(&self.conn, id)?;
        if deleted.is_some() {
            self.set_in_bin(
                "inheritor",
                id,
                None,
                |c, d, now| dbi::set_deleted(c, id, d, now),
                Some(("inheritor", dbi::search_text)),
            )?;
        }
        self.inheritor_get(id)
    }

    // ------------------------------------------------------------ recognitions

    /// Recognitions of an item's representative inheritors.
    pub fn recognition_list_for_item(&self, item_id: &str) -> Result<Vec<Recognition>> {
        let k = items::key(&self.conn, item_id)?;
        dbi::recognitions_of(
            &self.conn,
            "r.item_id = ?1 AND p.deleted_at IS NULL",
            k.rowid,
        )
    }

    /// Creates or updates a recognition of a person for an item at a level.
    pub fn recognition_save(&mut self, input: RecognitionInput) -> Result<Recognition> {
        let r = RecognitionInput {
            id: clean(input.id),
            inheritor_id: input.inheritor_id.trim().to_string(),
            item_id: input.item_id.trim().to_string(),
            level: input.level.trim().to_string(),
            batch_id: clean(input.batch_id),
            batch_label: clean(input.batch_label),
            doc_number: clean(input.doc_number),
            recognized_on: clean(input.recognized_on),
            note: clean(input.note),
        };
        let mut errors = Vec::new();
        let person = live_person(self, &r.inheritor_id, "inheritorId", &mut errors)?;
        let item = live_item(self, &r.item_id, "itemId", &mut errors)?;
        if !LEVELS.contains(&r.level.as_str()) {
            errors.push(FieldError::new(
                "level",
                "级别应为 区级 / 市级 / 省级 / 国家级",
            ));
        }
        date("recognizedOn", "认定日期", &r.recognized_on, &mut errors);
        let batch = match &r.batch_id {
            Some(b) => match db::batches::key(&self.conn, b) {
                Ok(k) => Some(k.rowid),
                Err(Error::NotFound { .. }) => {
                    errors.push(FieldError::new("batchId", "所选批次不存在"));
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        if let (Some((p, name)), Some(it)) = (&person, item) {
            if dbi::recognition_holder(&self.conn, *p, it, &r.level, r.id.as_deref())? {
                errors.push(FieldError::new(
                    "level",
                    format!("{name}已是本项目的{}代表性传承人", r.level),
                ));
            }
        }
        let exists = match &r.id {
            Some(id) => {
                dbi::recognition_rowid(&self.conn, id)?;
                true
            }
            None => false,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (p, it) = (
            person.map(|p| p.0).unwrap_or_default(),
            item.unwrap_or_default(),
        );
        let (now, actor) = (self.now(), self.actor()?);
        let uid = r.id.clone().unwrap_or_else(db::new_uid);
        let tx = self.conn.transaction()?;
        let before = if exists {
            Some(recognition_snapshot(&dbi::recognition(&tx, &uid)?))
        } else {
            None
        };
        dbi::save_recognition(&tx, &uid, exists, p, it, batch, &r, &now)?;
        let after = recognition_snapshot(&dbi::recognition(&tx, &uid)?);
        match before {
            Some(b) => log_diff(&tx, &now, &actor, "recognition", &uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, "recognition", &uid, &after)?,
        }
        tx.commit()?;
        dbi::recognition(&self.conn, &uid)
    }

    /// Records a dated status change of a recognition (never overwrites earlier ones).
    pub fn recognition_event_add(&mut self, input: RecognitionEventInput) -> Result<Recognition> {
        let e = RecognitionEventInput {
            recognition_id: input.recognition_id.trim().to_string(),
            status: input.status.trim().to_string(),
            occurred_on: input.occurred_on.trim().to_string(),
            ground: clean(input.ground),
            doc_number: clean(input.doc_number),
            note: clean(input.note),
        };
        let current = dbi::recognition(&self.conn, &e.recognition_id)?;
        let mut errors = Vec::new();
        if !RECOGNITION_STATUSES.contains(&e.status.as_str()) {
            errors.push(FieldError::new(
                "status",
                "状态应为 在册 / 丧失传承能力 / 取消资格 / 去世",
            ));
        }
        if e.occurred_on.is_empty() {
            errors.push(FieldError::new("occurredOn", "请填写变更日期"));
        } else {
            date(
                "occurredOn",
                "变更日期",
                &Some(e.occurred_on.clone()),
                &mut errors,
            );
        }
        if e.status == "取消资格" && e.ground.is_none() {
            errors.push(FieldError::new(
                "ground",
                "取消资格必须写明依据（如两次评估不合格、弄虚作假等）",
            ));
        }
        if matches!(current.status.as_str(), "去世" | "取消资格") {
            errors.push(FieldError::new(
                "status",
                format!("该认定已是“{}”状态，不能再变更", current.status),
            ));
        } else if current.status == e.status {
            errors.push(FieldError::new(
                "status",
                format!("当前状态已是“{}”", e.status),
            ));
        }
        if let Some(since) = current.status_since.as_deref() {
            if !e.occurred_on.is_empty() && e.occurred_on.as_str() < since {
                errors.push(FieldError::new(
                    "occurredOn",
                    format!("变更日期不能早于 {since}"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let rowid = dbi::recognition_rowid(&self.conn, &e.recognition_id)?;
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        dbi::add_event(&tx, rowid, &e, &now)?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: "recognition",
                entity_id: &e.recognition_id,
                action: "update",
                field: Some("status"),
                old_value: Some(current.status.clone()),
                new_value: Some(format!("{}（{}）", e.status, e.occurred_on)),
                reason: e.ground.clone(),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        dbi::recognition(&self.conn, &e.recognition_id)
    }

    // ------------------------------------------------- yearly work on inheritors

    fn person_and_recognised_item(
        &self,
        person: &str,
        item: &str,
        errors: &mut Vec<FieldError>,
    ) -> Result<Option<(i64, i64)>> {
        let p = live_person(self, person, "inheritorId", errors)?;
        let it = live_item(self, item, "itemId", errors)?;
        if let (Some((p, name)), Some(it)) = (&p, it) {
            if !dbi::is_recognised(&self.conn, *p, it)? {
                errors.push(FieldError::new(
                    "itemId",
                    format!("{name}尚未被认定为该项目的代表性传承人"),
                ));
            }
            return Ok(Some((*p, it)));
        }
        Ok(None)
    }

    /// Saves the 传习计划 of a person for an item and year (one per year).
    pub fn training_plan_save(&mut self, input: TrainingPlan) -> Result<InheritorDetail> {
        let t = TrainingPlan {
            content: clean(input.content),
            targets: clean(input.targets),
            ..input
        };
        let mut errors = Vec::new();
        years_ok("year", t.year, &mut errors);
        if t.content.is_none() && t.targets.is_none() {
            errors.push(FieldError::new("content", "请填写传习计划的内容或目标"));
        }
        let ids = self.person_and_recognised_item(&t.inheritor_id, &t.item_id, &mut errors)?;
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (p, it) = ids.unwrap_or_default();
        self.save_yearly(
            "training_plan",
            |tx, now| dbi::save_training_plan(tx, p, it, &t, now),
            |tx, rowid| {
                Ok(dbi::training_plans(tx, rowid)?
                    .into_iter()
                    .find(|x| x.year == t.year && x.item_id == t.item_id)
                    .map(|x| log::flatten(&x, &["id"])))
            },
            p,
        )?;
        self.inheritor_get(&t.inheritor_id)
    }

    /// Saves a yearly evaluation (one per person, item and year).
    pub fn evaluation_save(&mut self, input: Evaluation) -> Result<InheritorDetail> {
        let e = Evaluation {
            grade: input.grade.trim().to_string(),
            self_assessment: clean(input.self_assessment),
            evidence: clean(input.evidence),
            reviewer: clean(input.reviewer),
            reviewed_on: clean(input.reviewed_on),
            note: clean(input.note),
            ..input
        };
        let mut errors = Vec::new();
        years_ok("year", e.year, &mut errors);
        if !GRADES.contains(&e.grade.as_str()) {
            errors.push(FieldError::new(
                "grade",
                "评估等次应为 优秀 / 合格 / 不合格 / 丧失传承能力",
            ));
        }
        date("reviewedOn", "评审日期", &e.reviewed_on, &mut errors);
        let ids = self.person_and_recognised_item(&e.inheritor_id, &e.item_id, &mut errors)?;
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (p, it) = ids.unwrap_or_default();
        self.save_yearly(
            "evaluation",
            |tx, now| dbi::save_evaluation(tx, p, it, &e, now),
            |tx, rowid| {
                Ok(dbi::evaluations(tx, rowid)?
                    .into_iter()
                    .find(|x| x.year == e.year && x.item_id == e.item_id)
                    .map(|x| log::flatten(&x, &["id"])))
            },
            p,
        )?;
        self.inheritor_get(&e.inheritor_id)
    }

    /// Saves the subsidy received and used in a year; refused after loss of the ability to transmit.
    pub fn subsidy_save(&mut self, input: Subsidy) -> Result<InheritorDetail> {
        let s = Subsidy {
            note: clean(input.note),
            ..input
        };
        let mut errors = Vec::new();
        years_ok("year", s.year, &mut errors);
        if s.received_fen < 0 {
            errors.push(FieldError::new("receivedFen", "补助金额不能为负数"));
        }
        if s.used_fen < 0 {
            errors.push(FieldError::new("usedFen", "使用金额不能为负数"));
        }
        if s.used_fen > s.received_fen {
            errors.push(FieldError::new("usedFen", "使用金额不能超过当年收到的补助"));
        }
        let ids = self.person_and_recognised_item(&s.inheritor_id, &s.item_id, &mut errors)?;
        if let Some((p, _)) = ids {
            if let Some(y) = dbi::ability_lost_year(&self.conn, p, &s.item_id)? {
                if s.year > y && s.received_fen > 0 {
                    errors.push(FieldError::new(
                        "receivedFen",
                        format!(
                            "该传承人 {y} 年丧失传承能力，自 {} 年起停止发放传承补助",
                            y + 1
                        ),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (p, it) = ids.unwrap_or_default();
        self.save_yearly(
            "subsidy",
            |tx, now| dbi::save_subsidy(tx, p, it, &s, now),
            |tx, rowid| {
                Ok(dbi::subsidies(tx, rowid)?
                    .into_iter()
                    .find(|x| x.year == s.year && x.item_id == s.item_id)
                    .map(|x| log::flatten(&x, &["id"])))
            },
            p,
        )?;
        self.inheritor_get(&s.inheritor_id)
    }

    /// Writes one yearly record in a transaction with its edit-log rows.
    fn save_yearly(
        &mut self,
        entity: &str,
        write: impl FnOnce(&rusqlite::Connection, &str) -> Result<String>,
        read: impl Fn(&rusqlite::Connection, i64) -> Result<Option<BTreeMap<String, Option<String>>>>,
        person: i64,
    ) -> Result<()> {
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = read(&tx, person)?;
        let uid = write(&tx, &now)?;
        let after = read(&tx, person)?.unwrap_or_default();
        match before {
            Some(b) => log_diff(&tx, &now, &actor, entity, &uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, entity, &uid, &after)?,
        }
        tx.commit()?;
        Ok(())
    }

    // ----------------------------------------------------------------- lineage

    /// An item's lineage: edges for the tree, and the ordered table for the form.
    pub fn lineage_get(&self, item_id: &str) -> Result<Lineage> {
        let k = items::key(&self.conn, item_id)?;
        let edges = dbl::edges(&self.conn, k.rowid)?;
        let table = self.lineage_table(&edges)?;
        Ok(Lineage {
            item_id: item_id.to_string(),
            edges,
            table,
        })
    }

    fn lineage_table(&self, edges: &[LineageEdge]) -> Result<Vec<LineageRow>> {
        let mut people: Vec<(String, String)> = Vec::new();
        let mut seen = HashSet::new();
        for e in edges {
            for (id, name) in [
                (&e.master_id, &e.master_name),
                (&e.apprentice_id, &e.apprentice_name),
            ] {
                if seen.insert(id.clone()) {
                    people.push((id.clone(), name.clone()));
                }
            }
        }
        // Generation: stated on an incoming edge, else one more than the deepest master; roots are 1.
        let mut generation: HashMap<String, i64> = HashMap::new();
        fn gen_of(
            id: &str,
            edges: &[LineageEdge],
            memo: &mut HashMap<String, i64>,
            depth: usize,
        ) -> i64 {
            if let Some(g) = memo.get(id) {
                return *g;
            }
            let incoming: Vec<&LineageEdge> =
                edges.iter().filter(|e| e.apprentice_id == id).collect();
            let g = if let Some(stated) = incoming.iter().filter_map(|e| e.generation).max() {
                stated
            } else if incoming.is_empty() || depth > edges.len() {
                1
            } else {
                1 + incoming
                    .iter()
                    .map(|e| gen_of(&e.master_id, edges, memo, depth + 1))
                    .max()
                    .unwrap_or(0)
            };
            memo.insert(id.to_string(), g);
            g
        }
        for (id, _) in &people {
            gen_of(id, edges, &mut generation, 0);
        }
        let mut rows = Vec::new();
        for (id, name) in people {
            let (sex, birth) = dbl::person_facts(&self.conn, &id)?;
            let incoming: Vec<&LineageEdge> =
                edges.iter().filter(|e| e.apprentice_id == id).collect();
            let how = if incoming.is_empty() {
                "—".to_string()
            } else {
                let masters: Vec<&str> = incoming
                    .iter()
                    .filter(|e| e.kind == "师徒")
                    .map(|e| e.master_name.as_str())
                    .collect();
                let family: Vec<&str> = incoming
                    .iter()
                    .filter(|e| e.kind == "家族")
                    .map(|e| e.master_name.as_str())
                    .collect();
                let mut parts = Vec::new();
                if !family.is_empty() {
                    parts.push(format!("家传（{}）", family.join("、")));
                }
                if !masters.is_empty() {
                    parts.push(format!("师承 {}", masters.join("、")));
                }
                parts.join("；")
            };
            let from = incoming.iter().filter_map(|e| e.from_year).min();
            let to = incoming.iter().filter_map(|e| e.to_year).max();
            let period = match (from, to) {
                (Some(f), Some(t)) => format!("{f}—{t}"),
                (Some(f), None) => format!("{f}—"),
                (None, Some(t)) => format!("—{t}"),
                (None, None) => String::new(),
            };
            rows.push(LineageRow {
                generation: generation.get(&id).copied().unwrap_or(1),
                inheritor_id: id,
                name,
                sex,
                birth_year: birth_year(birth.as_deref()),
                how_learned: how,
                period,
            });
        }
        rows.sort_by(|a, b| {
            (
                a.generation,
                a.birth_year.unwrap_or(i64::MAX),
                crate::search::pinyin_keys(&a.name).0,
            )
                .cmp(&(
                    b.generation,
                    b.birth_year.unwrap_or(i64::MAX),
                    crate::search::pinyin_keys(&b.name).0,
                ))
        });
        Ok(rows)
    }

    /// Adds or changes a lineage edge; refuses self-edges and cycles with a clear message.
    pub fn lineage_edge_save(&mut self, input: LineageEdge) -> Result<Lineage> {
        let e = LineageEdge {
            id: clean(input.id),
            kind: input.kind.trim().to_string(),
            evidence: clean(input.evidence),
            ..input
        };
        let mut errors = Vec::new();
        let item = live_item(self, &e.item_id, "itemId", &mut errors)?;
        let master = live_person(self, &e.master_id, "masterId", &mut errors)?;
        let apprentice = live_person(self, &e.apprentice_id, "apprenticeId", &mut errors)?;
        if !LINEAGE_KINDS.contains(&e.kind.as_str()) {
            errors.push(FieldError::new("kind", "传承方式应为“师徒”或“家族”"));
        }
        if e.generation.is_some_and(|g| !(1..=100).contains(&g)) {
            errors.push(FieldError::new("generation", "代别应为 1 到 100 的整数"));
        }
        for (f, y) in [("fromYear", e.from_year), ("toYear", e.to_year)] {
            if let Some(y) = y {
                years_ok(f, y, &mut errors);
            }
        }
        if let (Some(f), Some(t)) = (e.from_year, e.to_year) {
            if t < f {
                errors.push(FieldError::new("toYear", "结束年份不能早于开始年份"));
            }
        }
        if e.master_id == e.apprentice_id {
            errors.push(FieldError::new(
                "apprenticeId",
                "不能把同一个人设为自己的师傅或徒弟",
            ));
        }
        let exists = match &e.id {
            Some(id) => {
                dbl::edge_item(&self.conn, id)?;
                true
            }
            None => false,
        };
        if let (Some(it), Some((_, mname)), Some((_, aname))) = (item, &master, &apprentice) {
            if e.master_id != e.apprentice_id {
                let others: Vec<LineageEdge> = dbl::edges(&self.conn, it)?
                    .into_iter()
                    .filter(|x| x.id != e.id)
                    .collect();
                if others
                    .iter()
                    .any(|x| x.master_id == e.master_id && x.apprentice_id == e.apprentice_id)
                {
                    errors.push(FieldError::new(
                        "apprenticeId",
                        format!("已记录 {mname} → {aname} 的传承关系"),
                    ));
                } else if let Some(path) = path_between(&others, &e.apprentice_id, &e.master_id) {
                    let names: Vec<&str> = path
                        .iter()
                        .map(|id| {
                            others
                                .iter()
                                .find_map(|x| {
                                    if &x.master_id == id {
                                        Some(x.master_name.as_str())
                                    } else if &x.apprentice_id == id {
                                        Some(x.apprentice_name.as_str())
                                    } else {
                                        None
                                    }
                                })
                                .unwrap_or("?")
                        })
                        .collect();
                    errors.push(FieldError::new(
                        "apprenticeId",
                        format!(
                            "这条关系会形成循环：{} → {}，传承谱系中不能有人成为自己的师承来源",
                            mname,
                            names.join(" → ")
                        ),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (it, m, a) = (
            item.unwrap_or_default(),
            master.map(|x| x.0).unwrap_or_default(),
            apprentice.map(|x| x.0).unwrap_or_default(),
        );
        let uid = e.id.clone().unwrap_or_else(db::new_uid);
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let find = |tx: &rusqlite::Connection| -> Result<Option<BTreeMap<String, Option<String>>>> {
            Ok(dbl::edges(tx, it)?
                .into_iter()
                .find(|x| x.id.as_deref() == Some(uid.as_str()))
                .map(|x| {
                    let mut m = log::flatten(&x, &["id", "itemId"]);
                    log::name_with_id(&mut m, "masterName", "masterId");
                    log::name_with_id(&mut m, "apprenticeName", "apprenticeId");
                    m
                }))
        };
        let before = find(&tx)?;
        dbl::save(&tx, &uid, exists, it, m, a, &e, &now)?;
        let after = find(&tx)?.unwrap_or_default();
        match before {
            Some(b) => log_diff(&tx, &now, &actor, "lineage_edge", &uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, "lineage_edge", &uid, &after)?,
        }
        tx.commit()?;
        self.lineage_get(&e.item_id)
    }

    /// Removes a lineage edge (logged with its content).
    pub fn lineage_edge_delete(&mut self, id: &str) -> Result<Lineage> {
        let item_row = dbl::edge_item(&self.conn, id)?;
        let item_uid = items::uid_of(&self.conn, item_row)?;
        let edge = dbl::edges(&self.conn, item_row)?
            .into_iter()
            .find(|x| x.id.as_deref() == Some(id));
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        dbl::delete(&tx, id)?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: "lineage_edge",
                entity_id: id,
                action: "delete",
                old_value: edge
                    .map(|e| format!("{} → {}（{}）", e.master_name, e.apprentice_name, e.kind)),
                reason: Some("删除传承关系".into()),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        self.lineage_get(&item_uid)
    }

    // ------------------------------------------------------- protection units

    /// One page of protection units, live or in the bin, optionally matching a search
    /// (name, pinyin, initials or other text); by name (pinyin).
    pub fn unit_list(&self, query: &UnitQuery) -> Result<UnitPage> {
        dbu::list(&self.conn, query)
    }

    /// Every protection unit matching a search, unpaged, for the command line's whole
    /// list; the UI pages through [`Registry::unit_list`].
    pub fn unit_list_all(&self, query: Option<&str>, deleted: bool) -> Result<Vec<UnitRow>> {
        dbu::list_all(&self.conn, query, deleted)
    }

    /// Stable ids of the live units protecting an item, by name (pinyin).
    pub fn unit_ids_for_item(&self, item_id: &str) -> Result<Vec<String>> {
        dbu::live_of_item(&self.conn, item_id)
    }

    /// A unit's whole record with its checks and warnings.
    pub fn unit_get(&self, id: &str) -> Result<UnitDetail> {
        let (fields, items_, created_at, updated_at, deleted_at, deleted_reason) =
            dbu::fields(&self.conn, id)?;
        let (rowid, _) = dbu::key(&self.conn, id)?;
        let checks = dbu::checks(&self.conn, rowid)?;
        let mut warnings = Vec::new();
        let c = &fields.conditions;
        for (ok, label) in [
            (c.legal_person_with_staff, "具有法人资格并有专职人员"),
            (
                c.holds_inheritor_or_materials,
                "掌握代表性传承人或较完整的资料",
            ),
            (c.can_carry_out_plan, "具有实施保护计划的能力"),
            (c.has_places, "具有传承展示场所"),
        ] {
            if !ok {
                warnings.push(format!("保护单位条件未满足：{label}"));
            }
        }
        if let Some(last) = checks.first() {
            match last.result.as_str() {
                "取消" => {
                    warnings.push(format!("该单位已于 {} 被取消保护单位资格", last.checked_on))
                }
                "限期整改" => {
                    let due = last.deadline.as_deref().unwrap_or("");
                    let overdue = !due.is_empty()
                        && due < self.today().format("%Y-%m-%d").to_string().as_str();
                    warnings.push(if overdue {
                        format!("限期整改已于 {due} 到期，请复查")
                    } else {
                        format!("正在限期整改（期限 {due}）")
                    });
                }
                _ => {}
            }
        }
        let template = self.template()?;
        let items_ = items_
            .into_iter()
            .map(|i| {
                items::row(&self.conn, &i.id, &template).map(|r| ItemRef {
                    id: r.id,
                    code: r.code,
                    name: r.name,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(UnitDetail {
            id: id.to_string(),
            fields,
            items: items_,
            checks,
            warnings,
            created_at,
            updated_at,
            deleted_at,
            deleted_reason,
        })
    }

    /// Creates or updates a unit after validating its credit code and phone.
    pub fn unit_save(&mut self, input: UnitInput) -> Result<UnitDetail> {
        let mut u = UnitInput {
            id: clean(input.id),
            name: input.name.trim().to_string(),
            credit_code: clean(input.credit_code),
            unit_type: clean(input.unit_type),
            legal_rep: clean(input.legal_rep),
            contact_person: clean(input.contact_person),
            phone: clean(input.phone),
            address: clean(input.address),
            conditions: input.conditions,
            item_ids: input.item_ids,
            note: clean(input.note),
        };
        let mut errors = Vec::new();
        if u.name.is_empty() {
            errors.push(FieldError::new("name", "请填写单位名称"));
        }
        if let Some(code) = u.credit_code.clone() {
            match ident::check_credit_code(&code) {
                Ok(norm) => {
                    if let Some(d) = dbu::credit_code_holder(&self.conn, &norm, u.id.as_deref())? {
                        errors.push(FieldError::new(
                            "creditCode",
                            format!("该统一社会信用代码已登记为“{d}”"),
                        ));
                    }
                    u.credit_code = Some(norm);
                }
                Err(msg) => errors.push(FieldError::new("creditCode", msg)),
            }
        }
        if let Some(p) = u.phone.clone() {
            match ident::check_phone(&p) {
                Ok(norm) => u.phone = Some(norm),
                Err(msg) => errors.push(FieldError::new("phone", msg)),
            }
        }
        let mut item_rows = Vec::new();
        for (n, id) in u.item_ids.iter().enumerate() {
            if let Some(r) = live_item(self, id, &format!("itemIds.{n}"), &mut errors)? {
                item_rows.push(r);
            }
        }
        let exists = match &u.id {
            Some(id) => {
                let (_, deleted) = dbu::key(&self.conn, id)?;
                if deleted.is_some() {
                    return Err(Error::Deleted {
                        kind: "保护单位",
                        id: id.clone(),
                    });
                }
                true
            }
            None => false,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let uid = u.id.clone().unwrap_or_else(db::new_uid);
        self.write_logged(
            "unit",
            &uid,
            exists,
            dbu::snapshot,
            |c, now| dbu::save(c, &uid, exists, &u, &item_rows, now),
            Some(("unit", dbu::search_text)),
        )?;
        self.unit_get(&uid)
    }

    /// Moves a unit to the recycle bin with a reason.
    pub fn unit_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        let (_, deleted) = dbu::key(&self.conn, id)?;
        if deleted.is_some() {
            return Err(Error::Deleted {
                kind: "保护单位",
                id: id.into(),
            });
        }
        self.set_in_bin(
            "unit",
            id,
            Some(reason),
            |c, d, now| dbu::set_deleted(c, id, d, now),
            Some(("unit", dbu::search_text)),
        )?;
        Ok(())
    }

    /// Restores a unit from the recycle bin.
    pub fn unit_restore(&mut self, id: &str) -> Result<UnitDetail> {
        let (_, deleted) = dbu::key(&self.conn, id)?;
        if deleted.is_some() {
            self.set_in_bin(
                "unit",
                id,
                None,
                |c, d, now| dbu::set_deleted(c, id, d, now),
                Some(("unit", dbu::search_text)),
            )?;
        }
        self.unit_get(id)
    }

    /// Records a periodic check of a unit (合格 / 限期整改 with a deadline / 取消).
    pub fn unit_check_save(&mut self, input: UnitCheck) -> Result<UnitDetail> {
        let c = UnitCheck {
            id: clean(input.id),
            unit_id: input.unit_id.trim().to_string(),
            checked_on: input.checked_on.trim().to_string(),
            result: input.result.trim().to_string(),
            findings: clean(input.findings),
            deadline: clean(input.deadline),
            checker: clean(input.checker),
        };
        let (rowid, _) = dbu::key(&self.conn, &c.unit_id)?;
        let mut errors = Vec::new();
        if !CHECK_RESULTS.contains(&c.result.as_str()) {
            errors.push(FieldError::new(
                "result",
                "检查结论应为 合格 / 限期整改 / 取消",
            ));
        }
        if c.checked_on.is_empty() {
            errors.push(FieldError::new("checkedOn", "请填写检查日期"));
        } else {
            date(
                "checkedOn",
                "检查日期",
                &Some(c.checked_on.clone()),
                &mut errors,
            );
        }
        date("deadline", "整改期限", &c.deadline, &mut errors);
        if c.result == "限期整改" {
            match &c.deadline {
                None => errors.push(FieldError::new("deadline", "限期整改须填写整改期限")),
                Some(d) if d.as_str() <= c.checked_on.as_str() => {
                    errors.push(FieldError::new("deadline", "整改期限应晚于检查日期"))
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let find = |tx: &rusqlite::Connection,
                    uid: &str|
         -> Result<Option<BTreeMap<String, Option<String>>>> {
            Ok(dbu::checks(tx, rowid)?
                .into_iter()
                .find(|x| x.id.as_deref() == Some(uid))
                .map(|x| log::flatten(&x, &["id", "unitId"])))
        };
        let before = match &c.id {
            Some(id) => find(&tx, id)?,
            None => None,
        };
        let uid = dbu::save_check(&tx, rowid, &c, &now)?;
        let after = find(&tx, &uid)?.unwrap_or_default();
        match before {
            Some(b) => log_diff(&tx, &now, &actor, "unit_check", &uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, "unit_check", &uid, &after)?,
        }
        tx.commit()?;
        self.unit_get(&c.unit_id)
    }
}

/// A path `from → … → to` along master→apprentice edges, if one exists.
fn path_between(edges: &[LineageEdge], from: &str, to: &str) -> Option<Vec<String>> {
    let mut prev: HashMap<String, String> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([from.to_string()]);
    let mut seen = HashSet::from([from.to_string()]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![node.clone()];
            let mut cur = node;
            while let Some(p) = prev.get(&cur) {
                path.push(p.clone());
                cur = p.clone();
            }
            path.reverse();
            return Some(path);
        }
        for e in edges.iter().filter(|e| e.master_id == node) {
            if seen.insert(e.apprentice_id.clone()) {
                prev.insert(e.apprentice_id.clone(), node.clone());
                queue.push_back(e.apprentice_id.clone());
            }
        }
    }
    None
}

fn normalize_person(i: InheritorInput) -> InheritorInput {
    InheritorInput {
        id: clean(i.id),
        name: i.name.trim().to_string(),
        sex: clean(i.sex),
        ethnicity: clean(i.ethnicity),
        birth_date: clean(i.birth_date),
        death_date: clean(i.death_date),
        id_number: clean(i.id_number),
        education: clean(i.education),
        employer: clean(i.employer),
        occupation: clean(i.occupation),
        practice_since: i.practice_since,
        phone: clean(i.phone),
        address: clean(i.address),
        resume: clean(i.resume),
        skills_achievements: clean(i.skills_achievements),
        teaching: clean(i.teaching),
        holdings: clean(i.holdings),
        awards: clean(i.awards),
        declaration_signed: i.declaration_signed,
        note: clean(i.note),
    }
}

/// The loggable fields of a recognition: the person and the item by name, with their ids
/// kept as the names' machine form (so that a change of either can be reverted).
fn recognition_snapshot(r: &Recognition) -> BTreeMap<String, Option<String>> {
    let mut m = log::flatten(r, &["id", "events", "status", "statusSince"]);
    log::name_with_id(&mut m, "inheritorName", "inheritorId");
    log::name_with_id(&mut m, "itemName", "itemId");
    m
}
