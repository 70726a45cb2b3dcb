-- expect: exit 2
-- message: devices[1].coverage.table_db[3]: must be a finite number
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 1, coverage = mtc.coverage.table({ 120, 140, 1/0 }, { 0, 0.5, 1 }) } },
}
