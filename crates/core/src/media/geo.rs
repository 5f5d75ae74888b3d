//! Map coordinates: photos store WGS-84 (GPS) positions, while maps published in
//! mainland China (AMap, Tencent and others) are drawn in GCJ-02, an obfuscated datum
//! offset from WGS-84 by a few hundred metres. [`wgs84_to_gcj02`] converts a stored
//! position for such a map; the stored value itself is never changed.

use std::f64::consts::PI;

/// Semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02, in metres.
const A: f64 = 6_378_245.0;
/// Its first eccentricity squared (published as 0.00669342162296594323; this is the
/// same `f64`).
const EE: f64 = 0.006_693_421_622_965_943;

/// Whether a point lies outside mainland China's rough bounding box, where GCJ-02
/// applies no offset.
fn outside_china(lat: f64, lon: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// Converts a WGS-84 position (latitude, longitude in decimal degrees) to GCJ-02 with
/// the standard public offset algorithm. Points outside mainland China's rough box
/// (longitude 72.004–137.8347, latitude 0.8293–55.8271), and non-finite input, are
/// returned unchanged.
pub fn wgs84_to_gcj02(lat: f64, lon: f64) -> (f64, f64) {
    if !lat.is_finite() || !lon.is_finite() || outside_china(lat, lon) {
        return (lat, lon);
    }
    let mut dlat = transform_lat(lon - 105.0, lat - 35.0);
    let mut dlon = transform_lon(lon - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin() * radlat.sin();
    let sqrtmagic = magic.sqrt();
    dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrtmagic) * PI);
    dlon = (dlon * 180.0) / (A / sqrtmagic * radlat.cos() * PI);
    (lat + dlat, lon + dlon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_edges() {
        assert!(outside_china(0.5, 117.0));
        assert!(outside_china(34.0, 140.0));
        assert!(!outside_china(34.0, 117.0));
        assert_eq!(wgs84_to_gcj02(f64::NAN, 117.0).1, 117.0);
    }
}
