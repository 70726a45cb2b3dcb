-- expect: exit 2
-- message: devices[1].count: expected an integer, got thread
return { devices = { { count = coroutine.create(function() return 10 end) } } }
