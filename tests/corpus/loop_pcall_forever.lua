-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (a loop of pcalls swallows every budget error: hangs)
while true do
  pcall(function() while true do end end)
end
return { devices = { { count = 10 } } }
