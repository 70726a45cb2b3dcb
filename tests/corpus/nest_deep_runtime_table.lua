-- expect: exit 2
-- message: devices[1].traffic.payload
-- A table nested 100000 deep given where a payload goes.
local t = { kind = "fixed", bytes = 10 }
for i = 1, 100000 do t = { inner = t } end
return {
  devices = { { count = 1, traffic = { kind = "periodic", period_s = 60, payload = t } } },
}
