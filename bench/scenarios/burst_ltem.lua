-- burst_ltem.lua: burst_nbiot.lua's 30,000-device TR 37.868 model 2 burst
-- on the event-driven LTE-M cell. Figures only:
-- bench_cell bench/scenarios/burst_ltem.lua.
local s = require "burst_nbiot"
s.name = "burst_ltem"
s.cell.rat = "ltem"
return s
