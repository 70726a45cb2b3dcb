-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (coroutine.resume returns the budget error and the loop goes on: hangs)
while true do
  coroutine.resume(coroutine.create(function() while true do end end))
end
return { devices = { { count = 1 } } }
