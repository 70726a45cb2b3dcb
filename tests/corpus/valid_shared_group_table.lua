-- expect: exit 0
-- The same table used for two groups is fine.
local g = { count = 5, traffic = { kind = "periodic", period_s = 600 } }
return { devices = { g, g } }
