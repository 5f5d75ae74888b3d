//! List import (XLSX/XLS/ODS/CSV): preview, commit in one transaction with an import id,
//! the import history, and undo of a whole import in one step.
//!
//! Preview and commit share one code path, [`crate::import::plan`]: the commit re-reads
//! the file and plans again inside its transaction, so what it stores is what a preview
//! of the same file would show now. Every item is checked and written by the same
//! helpers as `item_save` (`item_check`, `item_write`), with edit-log rows whose reason is
//! `导入名录：<file>（导入编号 <id>）`.

use super::{item_check, item_write, Registry};
use crate::db::{self, imports, items, log};
use crate::error::{Error, Result};
use crate::import;
use crate::model::{BackupReason, ImportRun, ListImportReport, ListImportRequest};
use std::path::Path;

impl Registry {
    /// What importing a list would do, row by row; writes nothing.
    pub fn import_list_preview(&self, req: &ListImportRequest) -> Result<ListImportReport> {
        let book = import::read_workbook(Path::new(&req.path))?;
        Ok(import::plan(&self.conn, &book, req, &self.template()?)?.report)
    }

    /// Imports a list: re-reads the file, plans again, and in one transaction creates the
    /// item of every `Create` row (linking protection units found by name), records an
    /// `import_run` with the records it made, and logs each item with the import's id.
    /// Refused, writing nothing, when no row would create an item or any row fails.
    /// Returns the report with `import_id` and each row's `item_id`.
    pub fn import_list_commit(&mut self, req: &ListImportRequest) -> Result<ListImportReport> {
        let path = Path::new(&req.path);
        let book = import::read_workbook(path)?;
        let template = self.template()?;
        let (now, actor) = (self.now(), self.actor()?);
        let source = super::file_name(path);
        // Planned once, before the backup (which only reads): in this process nothing else
        // writes meanwhile (`&mut self`); should another program write in between, a clash
        // fails an insert and the whole transaction rolls back.
        let mut plan = import::plan(&self.conn, &book, req, &template)?;
        if plan.items.is_empty() {
            let c = &plan.report.counts;
            return Err(Error::Conflict(format!(
                "“{source}”中没有可以导入的行（共 {} 行：{} 行有错误，{} 行跳过），未做任何改动",
                c.rows, c.error, c.skip
            )));
        }
        // A backup of the state before the import, only when there is something to import.
        self.backup_before(BackupReason::BeforeImport, &format!("导入“{source}”之前"))?;
        let tx = self.conn.transaction()?;
        let import_id = db::new_uid();
        let reason = format!("导入名录：{source}（导入编号 {import_id}）");
        let counts = &plan.report.counts;
        let summary = serde_json::json!({
            "file": source,
            "format": plan.report.format,
            "sheet": plan.report.sheet,
            "rows": counts.rows,
            "created": counts.create,
            "skipped": counts.skip,
            "errors": counts.error,
            "warnings": counts.warning,
        });
        let run = imports::insert_run(
            &tx,
            &import_id,
            &source,
            "list",
            &now,
            &actor,
            &summary.to_string(),
        )?;
        for p in &plan.items {
            let sheet_row = plan.report.rows[p.row_index].row;
            let checked = item_check(&tx, p.input.clone()).map_err(|e| {
                Error::Conflict(format!(
                    "第 {sheet_row} 行“{}”无法导入：{e}。整个导入已取消，未做任何改动",
                    p.input.name
                ))
            })?;
            let uid =
                item_write(&tx, &now, &actor, checked, Some(&reason)).map_err(|e| match e {
                    Error::Db(_) | Error::Validation(_) | Error::Conflict(_) => {
                        Error::Conflict(format!(
                            "第 {sheet_row} 行“{}”无法导入：{e}。整个导入已取消，未做任何改动",
                            p.input.name
                        ))
                    }
                    other => other,
                })?;
            imports::set_item_import(&tx, &uid, &import_id)?;
            imports::add_record(&tx, run, "item", &uid, "create", Some(sheet_row))?;
            for unit in &p.units {
                let before = db::units::snapshot(&tx, unit)?;
                imports::link_unit_item(&tx, unit, &uid)?;
                let after = db::units::snapshot(&tx, unit)?;
                if before != after {
                    log_field(
                        &tx, &now, &actor, "unit", unit, "items", &before, &after, &reason,
                    )?;
                    imports::add_record(&tx, run, "unit", unit, "link", Some(sheet_row))?;
                }
            }
            plan.report.rows[p.row_index].item_id = Some(uid);
        }
        tx.commit()?;
        plan.report.import_id = Some(import_id);
        Ok(plan.report)
    }

    /// Every import (lists, and exchange or media imports recorded by other parts),
    /// newest first.
    pub fn import_runs(&self) -> Result<Vec<ImportRun>> {
        imports::runs(&self.conn)
    }

    /// Takes a whole list import back in one transaction: every item it created that is
    /// still live goes to the recycle bin (as `item_delete` does, with the reason and the
    /// import id in the edit log), and the import is marked undone. Items edited since the
    /// import are taken back too — they stay recoverable from the recycle bin, edits and
    /// all; items already in the bin are left there. Links to protection units stay with
    /// the (deleted) items and return if an item is restored. A second undo is refused;
    /// an unknown id is [`Error::NotFound`].
    pub fn import_undo(&mut self, import_id: &str, reason: &str) -> Result<ImportRun> {
        let row = imports::run(&self.conn, import_id.trim())?;
        if let Some(at) = &row.run.undone_at {
            return Err(Error::Conflict(format!(
                "该次导入已于 {} 撤销，不能再次撤销",
                at.replace('T', " ").chars().take(19).collect::<String>()
            )));
        }
        if row.run.kind != "list" {
            return Err(Error::Conflict(
                "只有名录表格的导入可以在这里整体撤销".into(),
            ));
        }
        let reason = match reason.trim() {
            "" => "撤销导入".to_string(),
            r => r.to_string(),
        };
        let reason = format!(
            "{reason}（撤销导入编号 {}：{}）",
            row.run.id, row.run.source
        );
        let records = imports::records(&self.conn, row.rowid)?;
        let (now, actor) = (self.now(), self.actor()?);
        self.backup_before(
            BackupReason::BeforeImport,
            &format!("撤销导入“{}”之前", row.run.source),
        )?;
        let tx = self.conn.transaction()?;
        for (kind, uid, action) in &records {
            if kind != "item" || action != "create" {
                continue;
            }
            let k = items::key(&tx, uid)?;
            if k.deleted_at.is_some() {
                continue;
            }
            let children = items::live_children(&tx, k.rowid)?;
            if children > 0 {
                return Err(Error::Conflict(format!(
                    "导入的项目“{}”下已添加了 {children} 个扩展项目，请先处理这些扩展项目后再撤销导入；未做任何改动",
                    k.name
                )));
            }
            items::set_deleted(&tx, k.rowid, Some((&now, &reason)), &now)?;
            db::search::remove(&tx, "item", uid)?;
            log::append(
                &tx,
                &now,
                &actor,
                log::Change {
                    entity: "item",
                    entity_id: uid,
                    action: "delete",
                    reason: Some(reason.clone()),
                    ..Default::default()
                },
            )?;
        }
        imports::set_undone(&tx, row.rowid, &now)?;
        tx.commit()?;
        Ok(imports::run(&self.conn, &row.run.id)?.run)
    }
}

/// Logs the change of one field of a record (its readable text and machine form).
#[allow(clippy::too_many_arguments)]
fn log_field(
    conn: &rusqlite::Connection,
    now: &str,
    actor: &str,
    entity: &str,
    uid: &str,
    field: &str,
    before: &std::collections::BTreeMap<String, Option<String>>,
    after: &std::collections::BTreeMap<String, Option<String>>,
    reason: &str,
) -> Result<()> {
    let get = |m: &std::collections::BTreeMap<String, Option<String>>, k: &str| {
        m.get(k).cloned().flatten()
    };
    let data = format!("{field}{}", log::DATA);
    log::append(
        conn,
        now,
        actor,
        log::Change {
            entity,
            entity_id: uid,
            action: "update",
            field: Some(field),
            old_value: get(before, field),
            new_value: get(after, field),
            reason: Some(reason.to_string()),
            old_data: get(before, &data),
            new_data: get(after, &data),
        },
    )
}
