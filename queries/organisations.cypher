// name: organisations
// description: Organisations by kind and by the UK nation they work in
// param: kind (kind) only organisations of this kind (regulator, police_force, ngo...)
// param: nation (nation) only organisations working in this UK nation (UK-wide bodies included)
// example: htkg query organisations -p kind=police_force -p nation=Wales
// example: htkg query organisations -p nation=Scotland --format csv
// note: uk_wide is true for a body registered as working across the UK (all four nations); bodies
//   registered for the nation itself come first.
MATCH (o:Organisation)
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR $nation IN o.nation)
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.nation AS nation,
       coalesce(size(o.nation) = 4, false) AS uk_wide,
       coalesce(o.frontline_contact, false) AS frontline_contact, o.dissolved AS dissolved,
       o.sources AS sources
ORDER BY uk_wide, kind, organisation
