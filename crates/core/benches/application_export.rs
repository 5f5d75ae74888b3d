//! Application package benchmark (a bench binary, not a test): a registry with one item
//! whose every 申报书 section is filled to about its length limit (placeholder text marked
//! 基准测试, not heritage data), 10 camera-like photos of 12 megapixels with captions, four
//! supporting documents, a lineage of 5 generations (15 people), two recognised inheritors
//! and a five-year plan with 15 budget lines; then the whole package is exported (forms as
//! DOCX and PDF, media copies, manifest, checksums) and, separately, also zipped.
//!
//! Run: `cargo bench -p feiyi-core --bench application_export` (release build).
//! `FEIYI_BENCH_RUNS=N` sets the number of timed exports (default 5).

#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use feiyi_core::model::*;
use feiyi_core::{system_clock, Registry};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

mod common;
use common::{machine, photo};

/// Placeholder text of about `n` characters.
fn filler(n: usize) -> String {
    let sentence = "基准测试占位文字，用于衡量排版速度，不是项目资料。";
    let mut s = String::new();
    while s.chars().count() < n {
        s.push_str(sentence);
        if s.chars().count() % 200 < sentence.chars().count() {
            s.push('\n');
        }
    }
    s
}

fn person(reg: &mut Registry, name: &str, birth: i64) -> String {
    reg.inheritor_save(InheritorInput {
        name: name.into(),
        sex: Some("男".into()),
        birth_date: Some(birth.to_string()),
        resume: Some(filler(600)),
        skills_achievements: Some(filler(800)),
        teaching: Some(filler(400)),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn import(reg: &mut Registry, item: &str, path: std::path::PathBuf, role: &str) -> String {
    let r = reg
        .media_import(
            &[path],
            Some(MediaLinkTarget {
                entity: "item".into(),
                id: item.into(),
                role: role.into(),
            }),
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    r.outcomes[0].media_id.clone().unwrap()
}

fn main() {
    let runs: usize = std::env::var("FEIYI_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    println!("machine: {}", machine());
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("usb");
    std::fs::create_dir_all(&src).unwrap();
    let mut reg = Registry::create(
        &dir.path().join("registry"),
        RegistryKind::Real,
        system_clock(),
    )
    .unwrap();
    let batch = reg.batch_list(false).unwrap()[0].id.clone();
    let t = |n| Some(filler(n));
    let item = reg
        .item_save(ItemInput {
            name: "基准测试项目".into(),
            category: "Ⅶ".into(),
            batch_id: Some(batch.clone()),
            texts: ItemTexts {
                applicant: Some("基准测试单位".into()),
                distribution: t(200),
                summary: t(480),
                geography: t(900),
                history: t(1900),
                content: t(2400),
                artifacts: t(900),
                lineage_text: t(1400),
                features: t(1400),
                value: t(1400),
                viability: t(1400),
                argumentation: t(1900),
                management: t(1400),
                protection_done: t(1400),
                mechanism: t(900),
            },
            ..Default::default()
        })
        .unwrap()
        .id;

    // A lineage of 5 generations: 1, 2, 3, 4, 5 people, each learning from one above.
    let mut generations: Vec<Vec<String>> = Vec::new();
    for g in 0..5 {
        let ids: Vec<String> = (0..=g)
            .map(|i| {
                person(
                    &mut reg,
                    &format!("传人{}{}", g + 1, i + 1),
                    1930 + 15 * g as i64,
                )
            })
            .collect();
        if let Some(above) = generations.last() {
            for (i, id) in ids.iter().enumerate() {
                reg.lineage_edge_save(LineageEdge {
                    item_id: item.clone(),
                    master_id: above[i % above.len()].clone(),
                    apprentice_id: id.clone(),
                    kind: "师徒".into(),
                    ..Default::default()
                })
                .unwrap();
            }
        }
        generations.push(ids);
    }
    for id in &generations[3][..2] {
        reg.recognition_save(RecognitionInput {
            inheritor_id: id.clone(),
            item_id: item.clone(),
            level: "区级".into(),
            batch_id: Some(batch.clone()),
            doc_number: Some("基准〔2022〕1号".into()),
            ..Default::default()
        })
        .unwrap();
    }
    reg.plan_save(PlanInput {
        item_id: item.clone(),
        title: "基准测试五年保护计划".into(),
        start_year: 2026,
        end_year: 2030,
        goals: t(600),
        measures: t(900),
        mechanism: t(400),
        budget_basis: t(300),
        years: (2026..=2030)
            .map(|y| PlanYear {
                year: y,
                targets: t(80),
                measures: t(120),
                ..Default::default()
            })
            .collect(),
        budget: (0..15)
            .map(|i| BudgetLine {
                year: 2026 + i / 3,
                purpose: format!("用途{}", i + 1),
                source: "区级财政".into(),
                amount_fen: 1_000_000 + i * 12_345,
                justification: Some("按标准测算".into()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
    .unwrap();

    print!("generating and importing 10 photos of 4000×3000 … ");
    let started = Instant::now();
    for i in 0..10u32 {
        let p = src.join(format!("IMG_{:04}.JPG", i + 1));
        std::fs::write(&p, photo(i)).unwrap();
        let id = import(&mut reg, &item, p, "照片");
        let mut d = reg.media_get(&id).unwrap().description;
        d.caption = Some(format!("基准测试照片{}", i + 1));
        d.caption_time = Some("2025年6月".into());
        d.caption_place = Some("台儿庄古城".into());
        d.caption_people = Some("传人41".into());
        d.caption_event = Some("传习".into());
        reg.media_describe(d).unwrap();
    }
    for role in ["授权书", "知情同意书", "决定扫描件", "区政府同意申报文件"] {
        let p = src.join(format!("{role}.pdf"));
        std::fs::write(
            &p,
            format!("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% {role}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
        )
        .unwrap();
        import(&mut reg, &item, p, role);
    }
    println!("{:.1} s", started.elapsed().as_secs_f64());

    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let options = |zip| PackageOptions {
        out_dir: out.display().to_string(),
        zip,
        override_reason: Some("基准测试".into()),
        ..Default::default()
    };
    let first = Instant::now();
    let s = reg.application_export(&item, &options(false)).unwrap();
    let bytes: i64 = s.files.iter().map(|f| f.bytes).sum();
    println!(
        "first export (fonts loaded on first use): {:.2} s — {} files, {:.1} MB",
        first.elapsed().as_secs_f64(),
        s.files.len(),
        bytes as f64 / 1e6
    );
    for zip in [false, true] {
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                reg.application_export(&item, &options(zip)).unwrap();
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "export{}: median {:.2} s, best {:.2} s over {runs} runs",
            if zip { " + ZIP" } else { "" },
            times[times.len() / 2],
            times[0]
        );
    }
}
