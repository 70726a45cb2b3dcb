-- expect: exit 2
-- message: generator failed
local gen = coroutine.wrap(function()
  coroutine.yield(10)
  error("generator failed")
end)
return { devices = { { count = gen() }, { count = gen() } } }
