-- expect: exit 2
-- message: '}' expected
local mtc = require "mtc"
return mtc.scenario {
  name = "unclosed",
  devices = {
    { count = 10, traffic = mtc.traffic.periodic(600) },
  -- the closing brace of `devices` is missing
}
