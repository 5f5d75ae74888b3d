//! SQL for media records and their links to items, inheritors, activities, units and plans.
