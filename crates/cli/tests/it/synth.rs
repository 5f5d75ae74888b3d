//! `feiyi sample --scale N` and `feiyi sample --media DIR`: the scale generator from the
//! command line.

use super::{feiyi, json};
use predicates::prelude::*;

#[test]
fn sample_scale_makes_a_registry_the_register_lists() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("scale");
    let r = json(&reg, &["sample", "--scale", "200", "--seed", "3"]);
    assert_eq!(r["items"], 200);
    assert!(r["inheritors"].as_u64().unwrap() >= 600, "{r}");
    // Media rows with small real stand-ins in the store, so `verify` (below) checks them.
    assert!(r["media"].as_u64().unwrap() >= 100, "{r}");
    assert!(r["elapsedMs"].is_u64());

    let list = json(&reg, &["item", "list"]);
    assert_eq!(list["total"], 200);
    assert!(list["rows"][0]["name"]
        .as_str()
        .unwrap()
        .starts_with("示例项目"));
    let info = json(&reg, &["info"]);
    assert_eq!(info["kind"], "sample");
    feiyi(&reg).arg("verify").assert().success();

    // A folder that holds a registry is never overwritten.
    feiyi(&reg)
        .args(["sample", "--scale", "10"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("已有名录"));
}

#[test]
fn sample_media_writes_large_photos() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    let out = json(
        dir.path(),
        &[
            "sample",
            "--media",
            media.to_str().unwrap(),
            "--photos",
            "1",
        ],
    );
    assert_eq!(out["photos"], 1);
    let photo = media.join("示例照片_0001.jpg");
    let size = std::fs::metadata(&photo).unwrap().len();
    assert!(size > 2_000_000, "{size}");
    assert_eq!(image::image_dimensions(&photo).unwrap(), (4000, 3000));
}

#[test]
fn sample_media_makes_a_short_video_or_says_ffmpeg_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    // Without ffmpeg on PATH: refused at once, with the reason, and nothing written.
    let empty = dir.path().join("no-tools");
    std::fs::create_dir_all(&empty).unwrap();
    feiyi(dir.path())
        .env("PATH", &empty)
        .args(["sample", "--media", media.to_str().unwrap()])
        .args(["--photos", "1", "--videos", "1", "--video-seconds", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("生成视频需要 ffmpeg"));
    assert!(!media.join("示例照片_0001.jpg").exists());

    let has_ffmpeg = std::process::Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_ffmpeg {
        eprintln!("skipped: ffmpeg is not installed, no video made");
        return;
    }
    let out = json(
        dir.path(),
        &[
            "sample",
            "--media",
            media.to_str().unwrap(),
            "--photos",
            "0",
            "--videos",
            "1",
            "--video-seconds",
            "1",
        ],
    );
    assert_eq!(out["videos"], 1);
    let video = media.join("示例视频_01.mp4");
    assert!(std::fs::metadata(&video).unwrap().len() > 10_000);
}
