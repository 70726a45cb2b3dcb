-- expect: exit 2
-- message: unfinished string
local mtc = require "mtc"
return mtc.scenario {
  name = "meters,
  devices = { { count = 10 } },
}
