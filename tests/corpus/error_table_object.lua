-- expect: exit 2
-- message: error
local function check(cfg)
  if not cfg.count then error({ code = 17, field = "count" }) end
  return cfg
end
return { devices = { check({ name = "meters" }) } }
