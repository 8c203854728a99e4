-- wrk script of scripts/storm: sends exactly COUNT error requests of KIND on
-- each thread (run it with -t1), then /ok (200) on the connections still
-- busy until the COUNT error responses are in, and stops wrk. -d is only a
-- bound, in case responses go missing.
--
--   wrk -t1 -c64 -d120s -s scripts/storm.lua http://127.0.0.1:18090 -- COUNT KIND
--
-- KIND: same404 (GET /no/such/page), fail8 (GET /fail/0 to /fail/7 in turn,
-- 500s), random (two random words of 8 letters: unknown URLs, Echo's 404) or
-- files (GET /files/ and 12 random letters: a 404 that quotes the name,
-- one fingerprint per name). Letters only, so that no name is masked as an
-- id or a number by the fingerprint.
local count, kind, sent, got = 0, "", 0, 0
local letters = "abcdefghijklmnopqrstuvwxyz"
local same, ok
local verified = false -- wrk calls request() once after init, to look at it, and sends nothing

function init(args)
	count, kind = tonumber(args[1]), args[2]
	if count == nil or not (kind == "same404" or kind == "fail8" or kind == "random" or kind == "files") then
		error("usage: wrk ... -s storm.lua URL -- COUNT same404|fail8|random|files")
	end
	math.randomseed(os.time())
	same = wrk.format("GET", "/no/such/page")
	ok = wrk.format("GET", "/ok")
end

local function word(n)
	local t = {}
	for i = 1, n do
		local k = math.random(26)
		t[i] = letters:sub(k, k)
	end
	return table.concat(t)
end

function request()
	if not verified then
		verified = true
		return ok
	end
	if sent >= count then
		return ok
	end
	sent = sent + 1
	if kind == "same404" then
		return same
	elseif kind == "fail8" then
		return wrk.format("GET", "/fail/" .. (sent % 8))
	elseif kind == "random" then
		return wrk.format("GET", "/" .. word(8) .. "/" .. word(8))
	end
	return wrk.format("GET", "/files/" .. word(12))
end

function response(status)
	if status ~= 200 then
		got = got + 1
		if got == count then
			wrk.thread:stop()
			-- wrk's main thread sleeps for the whole -d unless interrupted:
			-- interrupt it (the shell's parent is wrk), and it reports at once.
			-- In the background and a little later, because os.execute
			-- ignores SIGINT while its shell runs; again until wrk is gone.
			os.execute("(for i in $(seq 50); do sleep 0.1; kill -INT $PPID 2>/dev/null || exit; done) &")
		end
	end
end
