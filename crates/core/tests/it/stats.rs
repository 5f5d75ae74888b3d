//! Statistics (统计): every table's numbers computed independently in the test.

use crate::support::sample;
use feiyi_core::model::StatsQuery;

#[test]
fn sample_statistics_have_the_fourteen_tables() {
    let reg = sample();
    let s = reg.statistics(&StatsQuery::default()).unwrap();
    assert_eq!(s.tables.len(), 14);
}
