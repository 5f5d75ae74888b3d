import { describe, expect, it } from "vitest";
import { cnNumber, creditCodeHint, fieldLabel, formatYuan, generationLabel, idNumberFacts, idNumberHint, phoneHint, yuanToFen } from "../format";
import { fakeCreditCode, fakeIdNumber } from "../mock/people";

describe("money", () => {
  it("shows fen as yuan with two decimals and separators", () => {
    expect(formatYuan(0)).toBe("0.00");
    expect(formatYuan(5)).toBe("0.05");
    expect(formatYuan(300050)).toBe("3,000.50");
    expect(formatYuan(123456789)).toBe("1,234,567.89");
    expect(formatYuan(-10050)).toBe("-100.50");
    expect(formatYuan(null)).toBe("");
  });

  it("turns typed yuan into whole fen without float drift", () => {
    expect(yuanToFen(1234.56)).toBe(123456);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen(19.99)).toBe(1999);
    expect(yuanToFen(null)).toBe(0);
  });
});

describe("hints", () => {
  it("checks identity numbers (GB 11643) only as a hint", () => {
    const id = fakeIdNumber("1956-03-12", 1, false);
    expect(idNumberHint(id)).toBe("");
    expect(idNumberFacts(id)).toEqual({ birthDate: "1956-03-12", sex: "女" });
    expect(idNumberHint("37040519560312")).toContain("18 位");
    const wrong = id.slice(0, 17) + (id[17] === "0" ? "1" : "0");
    expect(idNumberHint(wrong)).toContain("校验位");
    expect(idNumberHint("")).toBe("");
  });

  it("checks credit codes (GB 32100) and phones only as a hint", () => {
    const code = fakeCreditCode("12370405MB0000001");
    expect(code).toBe("12370405MB0000001Y");
    expect(creditCodeHint(code)).toBe("");
    expect(creditCodeHint("12370405MB0000001X")).toContain("校验位");
    expect(creditCodeHint("123")).toContain("18 位");
    expect(phoneHint("13806321234")).toBe("");
    expect(phoneHint("0632-6611234")).toBe("");
    expect(phoneHint("12345")).not.toBe("");
  });
});

describe("labels", () => {
  it("writes generations as the application form does", () => {
    expect(cnNumber(1)).toBe("一");
    expect(cnNumber(10)).toBe("十");
    expect(cnNumber(12)).toBe("十二");
    expect(cnNumber(21)).toBe("二十一");
    expect(generationLabel(3)).toBe("第三代");
  });

  it("names fields per kind of record in the edit log", () => {
    expect(fieldLabel("name")).toBe("项目名称");
    expect(fieldLabel("name", "inheritor")).toBe("姓名");
    expect(fieldLabel("idNumber", "inheritor")).toBe("身份证号");
    expect(fieldLabel("creditCode", "unit")).toBe("统一社会信用代码");
    expect(fieldLabel("conditions.hasPlaces", "unit")).toBe("具有传承展示场所");
    expect(fieldLabel("note", "unit")).toBe("备注");
  });
});

describe("media facts", () => {
  it("formats durations, sizes, rates and positions in Chinese", async () => {
    const f = await import("../format");
    expect(f.formatDuration(185_000)).toBe("03:05");
    expect(f.formatDuration(3_725_000)).toBe("1:02:05");
    expect(f.formatDuration(null)).toBe("");
    expect(f.formatBytes(3_355_443)).toBe("3.2 MB");
    expect(f.formatBytes(820 * 1024)).toBe("820 KB");
    expect(f.formatBytes(3 * 1024 ** 3)).toBe("3.00 GB");
    expect(f.formatSampleRate(44_100)).toBe("44.1 kHz");
    expect(f.formatSampleRate(48_000)).toBe("48 kHz");
    expect(f.formatBitRate(128_000)).toBe("128 kbps");
    expect(f.formatBitRate(8_500_000)).toBe("8.5 Mbps");
    expect(f.channelsLabel(1)).toBe("单声道");
    expect(f.channelsLabel(2)).toBe("立体声");
    expect(f.formatFrameRate(29.97)).toBe("29.97 帧/秒");
    expect(f.formatLatLon(34.5612341, 117.7312349)).toBe("北纬 34.561234°，东经 117.731235°");
    expect(f.formatLatLon(-33.9, -70.1)).toBe("南纬 33.900000°，西经 70.100000°");
    expect(f.shortSha("0123456789abcdef".repeat(4))).toBe("01234567…89abcdef");
    expect(f.baseName("C:\\照片\\演出一.jpg")).toBe("演出一.jpg");
    expect(f.baseName("/usb/演出二.jpg")).toBe("演出二.jpg");
    expect(f.roleForKind("音频")).toBe("录音");
    expect(f.fieldLabel("captionPeople", "media")).toBe("说明·人物");
  });
});
