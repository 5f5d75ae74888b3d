//! The 年度工作报告: validates the year and the folder, gathers the year's facts
//! (`db::report`), the statistics ([`Registry::statistics`]), the activities (the public
//! list) and their photos (downscaled from the store's originals by `media::thumbs`),
//! builds the document ([`crate::report::build`]) and writes it as DOCX and PDF with the
//! application forms' writers.

use super::Registry;
use crate::application::forms::{photo_caption, SheetPhoto};
use crate::db;
use crate::error::{Error, Result};
use crate::export::doc::ImageFormat;
use crate::export::{docx, pdf, write_atomic};
use crate::media::{self, thumbs};
use crate::model::*;
use crate::report::{self, ActivityFact, ReportInput, MAX_PHOTOS, PHOTO_EDGE};
use chrono::Datelike;
use std::collections::HashSet;
use std::path::Path;

impl Registry {
    /// Writes the 年度工作报告 of `year` into the folder `dir` as
    /// `{year}年度非物质文化遗产保护工作报告.docx` and `.pdf` (`示例-` before the name for the
    /// sample registry). Both files are rendered completely before either is written; each
    /// is written to a temporary file and renamed, so an existing report of that name is
    /// replaced only by a complete one.
    ///
    /// Refused with a validation error on `year` outside 1949 to this year (Beijing), and
    /// on `dir` when it is not an existing folder; nothing is written then.
    pub fn annual_report(&self, year: i64, dir: &Path) -> Result<AnnualReportSummary> {
        let today = self.beijing_today();
        let this_year = i64::from(today.year());
        let first = *crate::stats::YEARS.start();
        if year < first || year > this_year.min(*crate::stats::YEARS.end()) {
            return Err(Error::field(
                "year",
                format!("报告年度应为 {first} 年至 {this_year} 年之间的年份（收到：{year}）"),
            ));
        }
        if dir.as_os_str().is_empty() {
            return Err(Error::field("dir", "请选择报告保存到哪个文件夹"));
        }
        if !dir.is_dir() {
            return Err(Error::field(
                "dir",
                format!("文件夹“{}”不存在或不是文件夹", dir.display()),
            ));
        }
        let dir = std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;

        // --- gather
        let stats = self.statistics(&StatsQuery { year: Some(year) })?;
        let year_end = chrono::NaiveDate::from_ymd_opt(year as i32, 12, 31).unwrap_or(today);
        let at = year_end.min(today).format("%Y-%m-%d").to_string();
        let mut facts = db::report::year_facts(&self.conn, year, &self.template()?, &at)?;
        facts.activities = self.report_activities(year)?;
        let (photos, problems) = self.report_photos(year, &facts.activities)?;
        let sample = self.kind()? == RegistryKind::Sample;

        // --- build and render (the PDF, the slow one, on a second thread)
        let built = report::build(&ReportInput {
            year,
            today,
            sample,
            stats: &stats,
            facts: &facts,
            photos: &photos,
            photo_problems: &problems,
        });
        let (docx_bytes, pdf_bytes) = std::thread::scope(|s| {
            let pdf = s.spawn(|| pdf::to_pdf(&built.doc));
            let docx = docx::to_docx(&built.doc);
            let pdf = pdf
                .join()
                .unwrap_or_else(|_| Err(Error::Conflict("生成年度工作报告 PDF 时出错".into())));
            (docx, pdf)
        });
        let (docx_bytes, pdf_bytes) = (docx_bytes?, pdf_bytes?);

        // --- write
        let stem = report::file_stem(year, sample);
        let docx_path = dir.join(format!("{stem}.docx"));
        let pdf_path = dir.join(format!("{stem}.pdf"));
        write_atomic(&docx_path, &docx_bytes, "docx")?;
        write_atomic(&pdf_path, &pdf_bytes, "pdf")?;
        Ok(AnnualReportSummary {
            year,
            docx: docx_path.display().to_string(),
            pdf: pdf_path.display().to_string(),
            sections: built.sections,
            photos: photos.len() as i64,
            gaps: built.gaps,
        })
    }

    /// The live activities that started in `year`, by date, each marked when its days
    /// overlap a 非遗月 (or it is a 非遗月 activity).
    fn report_activities(&self, year: i64) -> Result<Vec<ActivityFact>> {
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let p = self.activity_list(&ActivityQuery {
                year: Some(year),
                page: Some(page),
                page_size: Some(500),
                ..Default::default()
            })?;
            let n = p.rows.len() as i64;
            out.extend(p.rows.into_iter().map(|a| ActivityFact {
                in_feiyi_month: a.in_feiyi_month || a.kind == "非遗月",
                id: a.id,
                kind: a.kind,
                title: a.title,
                started_on: a.started_on,
                ended_on: a.ended_on,
                place: a.place,
                participants: a.participants,
            }));
            if n == 0 || page * p.page_size >= p.total {
                break;
            }
            page += 1;
        }
        out.sort_by(|a, b| a.started_on.cmp(&b.started_on).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Up to [`MAX_PHOTOS`] photos of the year's activities, in activity and link order:
    /// not confidential, the original present in the store, downscaled to
    /// [`PHOTO_EDGE`] pixels (upright per EXIF) and captioned with time, place, people and
    /// event — what the clerk filled in, else the activity's date, place and title. Photos
    /// that cannot be placed are reported as sentences.
    fn report_photos(
        &self,
        year: i64,
        activities: &[ActivityFact],
    ) -> Result<(Vec<SheetPhoto>, Vec<String>)> {
        let mut photos = Vec::new();
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for (media_id, activity_id) in db::report::activity_photos(&self.conn, year)? {
            if photos.len() >= MAX_PHOTOS {
                break;
            }
            if !seen.insert(media_id.clone()) {
                continue;
            }
            let m = self.media_get(&media_id)?;
            let Ok(path) = self.media_path(&m.sha256) else {
                problems.push(format!(
                    "照片“{}”的原件不在资料库中，未放入报告（可在资料库运行“校验”并重新关联）",
                    m.original_name
                ));
                continue;
            };
            let Some(format) = media::Format::from_ext(&m.ext.to_lowercase()) else {
                continue;
            };
            let orientation = media::meta::read(&path, format).orientation;
            let rendered = thumbs::render(&path, format, orientation, PHOTO_EDGE).and_then(|b| {
                let (w, h) = image::ImageReader::new(std::io::Cursor::new(&b))
                    .with_guessed_format()
                    .ok()
                    .and_then(|r| r.into_dimensions().ok())
                    .ok_or_else(|| "缩小后的图片无法读取".to_string())?;
                Ok((b, w, h))
            });
            let (bytes, width_px, height_px) = match rendered {
                Ok(r) => r,
                Err(why) => {
                    problems.push(format!("照片“{}”未放入报告：{why}", m.original_name));
                    continue;
                }
            };
            let mut d = m.description.clone();
            if let Some(a) = activities.iter().find(|a| a.id == activity_id) {
                let fill = |v: &mut Option<String>, with: Option<String>| {
                    if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
                        *v = with.filter(|s| !s.trim().is_empty());
                    }
                };
                let time = d.capture_date.clone().or(Some(a.started_on.clone()));
                fill(&mut d.caption_time, time);
                let place = d.capture_place.clone().or(a.place.clone());
                fill(&mut d.caption_place, place);
                fill(&mut d.caption_event, Some(a.title.clone()));
            }
            let stem = Path::new(&m.original_name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            photos.push(SheetPhoto {
                bytes,
                format: ImageFormat::Jpeg,
                width_px,
                height_px,
                caption: photo_caption(&d, &stem),
            });
        }
        Ok((photos, problems))
    }
}
