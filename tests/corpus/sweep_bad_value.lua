-- expect: exit 2
-- message: devices[1].count: must be >= 1 (got -5)
-- message: swept devices[1].count=-5
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 10, -5 } },
}
