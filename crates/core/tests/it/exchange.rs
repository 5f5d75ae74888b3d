//! Exchange packages: whole-registry round trips, one-sided and two-sided changes,
//! conflicts and choices, and hostile packages refused with the registry unchanged.

use crate::support::{clock, item, sixth};
use feiyi_core::model::{
    ConflictChoice, ExchangeExportRequest, ItemInput, MediaLinkTarget, RegistryKind,
};
use feiyi_core::Registry;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Every table by uid with foreign keys as uids; the seeded batches (made with a fresh uid
/// in each registry) by their number; and the edit log by entry uid without chain columns.
fn dump(reg: &Registry) -> (String, BTreeMap<String, Value>) {
    let records = reg.exchange_records().unwrap();
    let tokens: Vec<(String, String)> = records["batch"]
        .iter()
        .map(|b| (b.uid.clone(), format!("batch#{}", b.fields["number"])))
        .collect();
    let token = |u: &str| {
        tokens
            .iter()
            .find(|(b, _)| b == u)
            .map_or(u.to_string(), |(_, t)| t.clone())
    };
    let sorted: BTreeMap<&str, BTreeMap<String, _>> = records
        .iter()
        .map(|(k, list)| (*k, list.iter().map(|r| (token(&r.uid), r)).collect()))
        .collect();
    let mut text = serde_json::to_string_pretty(&sorted).unwrap();
    for (uid, t) in &tokens {
        text = text.replace(uid, t);
    }
    let mut log = BTreeMap::new();
    let mut stmt = reg
        .connection()
        .prepare("SELECT uid, at, actor, entity_kind, action, field, old_value, new_value, reason FROM edit_log")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                serde_json::json!([
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ]),
            ))
        })
        .unwrap();
    for r in rows {
        let (u, v) = r.unwrap();
        log.insert(u, v);
    }
    (text, log)
}

/// Two dumps are equal; otherwise the first lines that differ are shown.
fn same(a: &str, b: &str) {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if let Some(i) = (0..la.len().max(lb.len())).find(|&i| la.get(i) != lb.get(i)) {
        let from = i.saturating_sub(12);
        panic!(
            "records differ at line {i}:\n--- a\n{}\n--- b\n{}",
            la[from..(i + 3).min(la.len())].join("\n"),
            lb[from..(i + 3).min(lb.len())].join("\n")
        );
    }
}

fn healthy(reg: &Registry) {
    assert!(
        reg.verify_log().unwrap().is_empty(),
        "{:?}",
        reg.verify_log()
    );
    assert_eq!(reg.integrity_check().unwrap(), ["ok"]);
}

fn export(reg: &Registry, out: &Path, since: Option<&str>) -> feiyi_core::model::ExchangeSummary {
    reg.exchange_export(&ExchangeExportRequest {
        out: out.display().to_string(),
        since: since.map(str::to_string),
        include_media: None,
    })
    .unwrap()
}

fn empty_registry(dir: &Path, kind: RegistryKind) -> Registry {
    let reg = Registry::create(dir, RegistryKind::Real, clock()).unwrap();
    if kind == RegistryKind::Sample {
        reg.connection()
            .execute(
                "UPDATE meta SET value = 'sample' WHERE key = 'registry_kind'",
                [],
            )
            .unwrap();
    }
    reg
}

fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| {
        image::Rgb([(x as u8).wrapping_add(seed), (y as u8) ^ seed, seed])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[test]
fn a_whole_sample_registry_travels_and_arrives_equal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = Registry::create(&tmp.path().join("a"), RegistryKind::Sample, clock()).unwrap();
    // A photo linked to the first item, so the package carries an original.
    let first = a.item_list(&Default::default()).unwrap().rows[0].id.clone();
    let photo = tmp.path().join("排练.jpg");
    std::fs::write(&photo, jpeg(3)).unwrap();
    a.media_import(
        &[photo],
        Some(MediaLinkTarget {
            entity: "item".into(),
            id: first,
            role: String::new(),
        }),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let zip = tmp.path().join("全部.zip");
    let summary = export(&a, &zip, None);
    assert_eq!(summary.media_files, 1);
    assert!(summary.log_entries > 10);
    assert!(summary
        .records
        .iter()
        .any(|k| k.kind == "item" && k.count > 3));

    let mut b = empty_registry(&tmp.path().join("b"), RegistryKind::Sample);
    let preview = b.exchange_inspect(&zip).unwrap();
    assert!(preview.sample);
    assert!(preview.conflicts.is_empty());
    assert_eq!(preview.media_files, 1);
    assert!(preview.added.len() > 10, "{}", preview.added.len());
    assert_eq!(preview.added_count, preview.added.len() as i64);
    // Inspect wrote nothing.
    assert_eq!(b.item_list(&Default::default()).unwrap().total, 0);

    let done = b.exchange_import(&zip, &[]).unwrap();
    assert!(done.import_id.is_some());
    let (ra, la) = dump(&a);
    let (rb, lb) = dump(&b);
    same(&ra, &rb);
    for (uid, entry) in &la {
        assert_eq!(
            lb.get(uid),
            Some(entry),
            "log entry {uid} carried with its uid"
        );
    }
    healthy(&b);
    assert!(b.media_verify().unwrap().ok);
    // Search works on the merged records.
    let name = b.item_list(&Default::default()).unwrap().rows[0]
        .name
        .clone();
    assert!(!b.search(&name, 10).unwrap().is_empty());

    // The same package again changes nothing.
    let again = b.exchange_inspect(&zip).unwrap();
    assert!(again.added.is_empty() && again.updated.is_empty() && again.conflicts.is_empty());
    assert_eq!((again.added_count, again.updated_count), (0, 0));
}

fn real_pair(tmp: &Path) -> (Registry, Registry, String, String) {
    let mut a = empty_registry(&tmp.join("a"), RegistryKind::Real);
    let b6 = sixth(&a);
    let x = a
        .item_save(item("鲁南花鼓", "Ⅲ", Some(b6.clone())))
        .unwrap()
        .id;
    let y = a.item_save(item("运河号子", "Ⅱ", Some(b6))).unwrap().id;
    let mut b = empty_registry(&tmp.join("b"), RegistryKind::Real);
    let zip = tmp.join("first.zip");
    export(&a, &zip, None);
    b.exchange_import(&zip, &[]).unwrap();
    (a, b, x, y)
}

#[test]
fn the_merge_history_names_linked_records_by_their_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, x, _) = real_pair(tmp.path());
    let batch = sixth(&a);
    let created: Vec<_> = b
        .history("item", &x)
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.action == "create"
                && e.reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("合并交换包"))
        })
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    let fields = created[0].new_value.as_deref().unwrap();
    // The batch reads as the clerk knows it, not as its id.
    assert!(fields.contains("第六批"), "{fields}");
    assert!(!fields.contains(&batch), "{fields}");
}

fn edit(reg: &mut Registry, id: &str, f: impl FnOnce(&mut ItemInput)) {
    let d = reg.item_get(id).unwrap();
    let mut input = ItemInput {
        id: Some(d.id),
        name: d.name,
        category: d.category,
        batch_id: d.batch_id,
        seq: Some(d.seq),
        parent_id: d.parent_id,
        status: Some(d.status),
        endangered: d.endangered,
        confidential: d.confidential,
        townships: d.townships,
        listings: d.listings,
        texts: d.texts,
        note: d.note,
    };
    f(&mut input);
    reg.item_save(input).unwrap();
}

#[test]
fn changes_on_one_side_two_sides_and_the_same_field() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, mut b, x, y) = real_pair(tmp.path());
    assert_eq!(dump(&a).0, dump(&b).0);
    let since = Some("2026-11-28");

    // Changed on A only: B takes it.
    edit(&mut a, &x, |i| {
        i.texts.summary = Some("流行于台儿庄一带的民间舞蹈".into())
    });
    let zip = tmp.path().join("2.zip");
    export(&a, &zip, since);
    let p = b.exchange_inspect(&zip).unwrap();
    assert!(p.conflicts.is_empty());
    assert_eq!(p.updated.len(), 1, "{:?}", p.updated);
    assert_eq!(p.updated[0].id, x);
    assert_eq!(p.updated[0].fields, ["项目简介"]);
    b.exchange_import(&zip, &[]).unwrap();
    assert_eq!(
        b.item_get(&x).unwrap().texts.summary.as_deref(),
        Some("流行于台儿庄一带的民间舞蹈")
    );
    assert_eq!(dump(&a).0, dump(&b).0);

    // Changed on B only: A's package leaves B as it is.
    edit(&mut b, &y, |i| i.note = Some("乙方补充".into()));
    let zip = tmp.path().join("3.zip");
    export(&a, &zip, since);
    let p = b.exchange_inspect(&zip).unwrap();
    assert!(p.updated.is_empty() && p.conflicts.is_empty());
    b.exchange_import(&zip, &[]).unwrap();
    assert_eq!(b.item_get(&y).unwrap().note.as_deref(), Some("乙方补充"));

    // Different fields on both sides: merged without asking.
    edit(&mut a, &y, |i| i.texts.history = Some("清代已有".into()));
    let zip = tmp.path().join("4.zip");
    export(&a, &zip, since);
    let p = b.exchange_inspect(&zip).unwrap();
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    assert_eq!(p.updated.len(), 1);
    b.exchange_import(&zip, &[]).unwrap();
    let yb = b.item_get(&y).unwrap();
    assert_eq!(yb.texts.history.as_deref(), Some("清代已有"));
    assert_eq!(yb.note.as_deref(), Some("乙方补充"));

    // The same fields on both sides: conflicts, refused without choices.
    edit(&mut a, &x, |i| {
        i.name = "鲁南花鼓（台儿庄）".into();
        i.texts.summary = Some("甲方的简介".into());
    });
    edit(&mut b, &x, |i| {
        i.name = "台儿庄花鼓".into();
        i.texts.summary = Some("乙方的简介".into());
    });
    let zip = tmp.path().join("5.zip");
    export(&a, &zip, since);
    let p = b.exchange_inspect(&zip).unwrap();
    assert_eq!(p.conflicts.len(), 1);
    let c = &p.conflicts[0];
    assert_eq!(c.id, x);
    let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "summary"]);
    assert_eq!(c.fields[0].local.as_deref(), Some("台儿庄花鼓"));
    assert_eq!(c.fields[0].remote.as_deref(), Some("鲁南花鼓（台儿庄）"));
    assert_eq!(c.fields[0].base.as_deref(), Some("鲁南花鼓"));
    let before = dump(&b);
    let err = b.exchange_import(&zip, &[]).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("2 处修改冲突"), "{err}");
    assert_eq!(dump(&b), before, "nothing written");
    let choose = |field: &str, take: &str| ConflictChoice {
        kind: "item".into(),
        id: x.clone(),
        field: field.into(),
        take: take.into(),
    };
    // A choice for half the conflicts is still refused.
    assert!(b
        .exchange_import(&zip, &[choose("name", "remote")])
        .is_err());
    assert_eq!(dump(&b), before);
    let done = b
        .exchange_import(
            &zip,
            &[choose("name", "remote"), choose("summary", "local")],
        )
        .unwrap();
    assert!(done.import_id.is_some());
    let xb = b.item_get(&x).unwrap();
    assert_eq!(xb.name, "鲁南花鼓（台儿庄）");
    assert_eq!(xb.texts.summary.as_deref(), Some("乙方的简介"));
    assert!(
        !b.search("鲁南花鼓（台", 10).unwrap().is_empty(),
        "search index follows the merge"
    );
    let merged = b.history("item", &x).unwrap();
    assert!(merged
        .iter()
        .any(|e| e.reason.as_deref() == Some("合并交换包：5.zip")
            && e.field.as_deref() == Some("name")));
    healthy(&b);

    // Sending B's state back to A: A takes B's choice for the summary (B changed it last),
    // and nothing is in conflict any more.
    let zip = tmp.path().join("6.zip");
    export(&b, &zip, None);
    let p = a.exchange_inspect(&zip).unwrap();
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    a.exchange_import(&zip, &[]).unwrap();
    assert_eq!(
        a.item_get(&x).unwrap().texts.summary.as_deref(),
        Some("乙方的简介")
    );
    assert_eq!(a.item_get(&y).unwrap().note.as_deref(), Some("乙方补充"));
    healthy(&a);
}

#[test]
fn deletions_travel_and_same_names_are_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, mut b, x, _y) = real_pair(tmp.path());
    a.item_delete(&x, "重复录入").unwrap();
    // Both enter a 柳琴戏 on their own: two records, not one.
    let b6 = sixth(&b);
    b.item_save(item("柳琴戏", "Ⅳ", Some(b6))).unwrap();
    let a6 = sixth(&a);
    a.item_save(item("柳琴戏", "Ⅴ", Some(a6))).unwrap();
    let zip = tmp.path().join("del.zip");
    export(&a, &zip, Some("2026-11-28"));
    let p = b.exchange_inspect(&zip).unwrap();
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    let del = p.updated.iter().find(|u| u.id == x).unwrap();
    assert!(
        del.fields.contains(&"删除原因".to_string()),
        "{:?}",
        del.fields
    );
    assert_eq!(p.added.len(), 1);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("柳琴戏") && w.contains("同名")),
        "{:?}",
        p.warnings
    );
    b.exchange_import(&zip, &[]).unwrap();
    assert_eq!(
        b.item_get(&x).unwrap().deleted_reason.as_deref(),
        Some("重复录入")
    );
    assert!(b.search("鲁南花鼓", 10).unwrap().is_empty());
    assert_eq!(b.item_list(&Default::default()).unwrap().total, 3);
    healthy(&b);
}

fn rebuild(
    src: &[u8],
    edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut r = zip::ZipArchive::new(Cursor::new(src)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..r.len() {
        let mut f = r.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if let Some(d) = edit(&name, data) {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&d).unwrap();
        }
    }
    for (name, data) in extra {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn hostile_and_damaged_packages_are_refused_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, mut b, x, _) = real_pair(tmp.path());
    edit(&mut a, &x, |i| i.note = Some("新的备注".into()));
    let good = tmp.path().join("good.zip");
    export(&a, &good, None);
    let bytes = std::fs::read(&good).unwrap();
    let before = dump(&b);

    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "tampered",
            rebuild(
                &bytes,
                |n, d| {
                    Some(if n == "records/item.json" {
                        String::from_utf8(d)
                            .unwrap()
                            .replace("新的备注", "偷改的备注")
                            .into_bytes()
                    } else {
                        d
                    })
                },
                &[],
            ),
            "校验值不符",
        ),
        (
            "version",
            rebuild(
                &bytes,
                |n, d| {
                    Some(if n == "manifest.json" {
                        String::from_utf8(d)
                            .unwrap()
                            .replace("feiyi-exchange/1", "feiyi-exchange/2")
                            .into_bytes()
                    } else {
                        d
                    })
                },
                &[],
            ),
            "交换包格式版本为“feiyi-exchange/2”，本程序只认识 feiyi-exchange/1，请升级软件",
        ),
        (
            "dotdot",
            rebuild(&bytes, |_, d| Some(d), &[("../evil.txt", b"x")]),
            "“../evil.txt”含有“..”",
        ),
        (
            "absolute",
            rebuild(&bytes, |_, d| Some(d), &[("/etc/x", b"x")]),
            "绝对路径",
        ),
        (
            "extra",
            rebuild(&bytes, |_, d| Some(d), &[("notes.txt", b"x")]),
            "不认识的文件“notes.txt”",
        ),
        (
            "missing sums",
            rebuild(&bytes, |n, d| (n != "SHA256SUMS").then_some(d), &[]),
            "SHA256SUMS",
        ),
        ("truncated", bytes[..bytes.len() / 2].to_vec(), "ZIP"),
        ("empty", Vec::new(), "空的"),
        (
            "not a zip",
            b"PK but not really a zip archive at all".to_vec(),
            "不是有效的 ZIP",
        ),
    ];
    let symlink = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.add_symlink(
            "records/item.json",
            "/etc/passwd",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.finish().unwrap().into_inner()
    };
    cases.push(("symlink", symlink, "符号链接"));
    // A zip bomb: 200 MB of zeros deflate to about 200 KB.
    let bomb = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(
            "records/item.json",
            zip::write::SimpleFileOptions::default().compression_level(Some(1)),
        )
        .unwrap();
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..200 {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    assert!(bomb.len() < 2 << 20);
    cases.push(("bomb", bomb, "压缩炸弹"));

    for (what, data, expected) in cases {
        let path = tmp.path().join(format!("{what}.zip"));
        std::fs::write(&path, &data).unwrap();
        for result in [b.exchange_inspect(&path), b.exchange_import(&path, &[])] {
            let err = result.expect_err(what);
            assert_eq!(err.code(), "bad_input", "{what}: {err}");
            let msg = err.to_string();
            assert!(msg.contains(expected), "{what}: {msg}");
            assert!(msg.contains("未做任何改动"), "{what}: {msg}");
        }
        assert_eq!(dump(&b), before, "{what}: registry unchanged");
    }
    healthy(&b);
    // The good package still goes in.
    b.exchange_import(&good, &[]).unwrap();
    assert_eq!(b.item_get(&x).unwrap().note.as_deref(), Some("新的备注"));
}

#[test]
fn a_sample_package_is_refused_by_a_real_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Registry::create(&tmp.path().join("s"), RegistryKind::Sample, clock()).unwrap();
    let zip = tmp.path().join("示例.zip");
    export(&s, &zip, None);
    let mut r = empty_registry(&tmp.path().join("r"), RegistryKind::Real);
    let before = dump(&r);
    let err = r.exchange_import(&zip, &[]).unwrap_err();
    assert_eq!(err.code(), "bad_input");
    assert!(err.to_string().contains("示例名录"), "{err}");
    assert_eq!(dump(&r), before);
}

#[test]
fn a_record_that_cannot_be_merged_is_named_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, mut b, _x, _y) = real_pair(tmp.path());
    // Both enter a first 传统戏剧 item on their own: each numbers it Ⅳ-1.
    let b6 = sixth(&b);
    b.item_save(item("柳琴戏", "Ⅳ", Some(b6))).unwrap();
    let a6 = sixth(&a);
    a.item_save(item("渔鼓戏", "Ⅳ", Some(a6))).unwrap();
    let zip = tmp.path().join("same-code.zip");
    export(&a, &zip, Some("2026-11-28"));
    let before = dump(&b);
    for err in [
        b.exchange_inspect(&zip).unwrap_err(),
        b.exchange_import(&zip, &[]).unwrap_err(),
    ] {
        let msg = err.to_string();
        assert!(
            msg.contains("无法合并项目“渔鼓戏”") && msg.contains("未做任何改动"),
            "{msg}"
        );
    }
    assert_eq!(dump(&b), before);
    healthy(&b);
}
