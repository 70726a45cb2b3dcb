-- expect: exit 2
-- message: error
-- known-failing: lua/messages (a non-string error object gives no file:line)
local function check(cfg)
  if not cfg.count then error({ code = 17, field = "count" }) end
  return cfg
end
return { devices = { check({ name = "meters" }) } }
