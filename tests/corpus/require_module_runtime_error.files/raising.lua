-- a module that fails while loading
error("profile table missing")
