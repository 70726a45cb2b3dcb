-- expect: exit 2
-- message: devices
-- sweep_exclude takes the groups away from the scenario it belongs to.
local s = { sweep = { ["duration"] = { 60, 120 } } }
s.devices = { { count = 1 } }
s.sweep_exclude = function(p) s.devices = nil return false end
return s
