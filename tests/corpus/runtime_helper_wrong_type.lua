-- expect: exit 2
-- message: mtc.hours: expected a number, got string
-- line: 6
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.hours("24"),
  devices = { { count = 1 } },
}
