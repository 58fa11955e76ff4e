using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MessagingServer.Bench.Cli;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Report;
using MessagingServer.Bench.Scenarios;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.Bench.Tests;

public sealed class ProcStatsSpecs
{
    [Fact]
    public void Cpu_time_is_utime_plus_stime_counted_after_the_command_name()
    {
        // The command name may hold spaces and parentheses; utime (14) = 250 ticks, stime (15) = 50 ticks.
        const string stat = "4242 (dotnet (my app) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 123 456 789";

        Assert.Equal(3000, ProcStats.ParseStatCpuMilliseconds(stat));
    }

    [Fact]
    public void A_malformed_stat_line_has_no_cpu_time() =>
        Assert.Null(ProcStats.ParseStatCpuMilliseconds("garbage"));

    [Fact]
    public void Resident_memory_is_read_from_its_status_line()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t  900000 kB\nVmRSS:\t   123456 kB\nThreads:\t30\n";

        Assert.Equal(123456, ProcStats.ParseStatusKib(status, "VmRSS"));
        Assert.Null(ProcStats.ParseStatusKib(status, "VmSwap"));
    }

    [Fact]
    public void This_process_is_read_as_the_runtime_sees_it()
    {
        // The runtime asks the kernel for the same CPU time more precisely (not in 10 ms ticks, and adjusted a little
        // differently): ours must fall between its readings just before and after, within 10 % + 50 ms. A wrong field
        // or a wrong tick rate is off by far more; a test process has long since used over 100 ms, so 0 fails too.
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var before = process.TotalProcessorTime.TotalMilliseconds;
        var cpu = ProcStats.CpuMilliseconds(Environment.ProcessId);
        var resident = ProcStats.ResidentKib(Environment.ProcessId);
        process.Refresh();
        var after = process.TotalProcessorTime.TotalMilliseconds;

        Assert.NotNull(cpu);
        Assert.InRange(cpu.Value, (before * 0.9) - 50, (after * 1.1) + 50);
        Assert.True(before > 100, $"the runtime says this process used {before} ms of CPU");
        Assert.NotNull(resident);
        // Resident memory moves between two readings; the same order of magnitude is what can be asked.
        Assert.InRange(resident.Value * 1024.0, process.WorkingSet64 / 2.0, process.WorkingSet64 * 2.0);
    }

    [Fact]
    public void A_process_that_is_gone_has_no_numbers()
    {
        using var exited = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        exited.WaitForExit();
        var pid = exited.Id;
        exited.Dispose();

        Assert.Null(ProcStats.CpuMilliseconds(pid));
        Assert.Null(ProcStats.ResidentKib(pid));
    }
}

public sealed class FrameSpecs
{
    [Fact]
    public void An_outbound_event_gives_its_type_seq_id_and_client_ref()
    {
        var frame = Frame.Parse("""{"type":"outbound","seq":7,"id":"m1","clientRef":"c9","from":"+1","to":"+2","body":"hi","at":"x","status":"queued","segments":1}"""u8);

        Assert.Equal(new Frame("outbound", 7, "m1", "c9", "hi", "queued", null, 0, 0), frame);
        Assert.True(frame.IsEvent);
    }

    [Fact]
    public void Nested_objects_and_arrays_are_skipped()
    {
        var frame = Frame.Parse("""{"type":"status","error":{"code":"21211","status":"nested"},"media":["a",{"b":1}],"seq":3,"id":"m2","status":"failed"}"""u8);

        Assert.Equal("failed", frame.Status);
        Assert.Equal(3, frame.Seq);
        Assert.Null(frame.Code);
    }

    [Fact]
    public void A_welcome_is_not_an_event()
    {
        var frame = Frame.Parse("""{"type":"welcome","userId":"u","lastSeq":21,"resumeFrom":2}"""u8);

        Assert.Equal((21, 2), (frame.LastSeq, frame.ResumeFrom));
        Assert.False(frame.IsEvent);
    }

    [Fact]
    public void Something_that_is_not_json_has_no_type() =>
        Assert.Null(Frame.Parse("You said hi"u8).Type);

    [Fact]
    public void A_send_request_is_the_protocol_s_json()
    {
        using var json = JsonDocument.Parse(Frame.Send("+15550001111", "Hello \"there\"", "c1"));

        Assert.Equal("send", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("+15550001111", json.RootElement.GetProperty("to").GetString());
        Assert.Equal("Hello \"there\"", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("c1", json.RootElement.GetProperty("clientRef").GetString());
    }
}

public sealed class OptionsSpecs
{
    [Fact]
    public void A_full_run_of_all_scenarios_has_five_rounds_by_default()
    {
        var options = BenchOptions.Parse(["all"]);

        Assert.Equal(ScenarioNames.InAll, options.Scenarios);
        Assert.Equal(BenchSize.Full, options.Size);
        Assert.Equal(5, options.Rounds);
        Assert.Null(options.OutFile);
    }

    [Fact]
    public void A_tiny_run_has_one_round_unless_told()
    {
        Assert.Equal(1, BenchOptions.Parse(["idle", "--size", "tiny"]).Rounds);
        Assert.Equal(3, BenchOptions.Parse(["idle", "--size", "tiny", "--rounds", "3"]).Rounds);
    }

    [Fact]
    public void Scenarios_may_be_listed_with_commas_and_every_option_is_read()
    {
        var options = BenchOptions.Parse(["fan-in,relay", "--out", "docs/benchmarks.md", "--env", "A__B=c=d", "--duration", "2.5", "--pg", "Host=x"]);

        Assert.Equal(["fan-in", "relay"], options.Scenarios);
        Assert.Equal("docs/benchmarks.md", options.OutFile);
        Assert.Equal("c=d", options.ServerEnvironment["A__B"]);
        Assert.Equal(2.5, options.RunSeconds);
        Assert.Equal("Host=x", options.PostgresConnection);
        Assert.Equal(2.5, SizeProfile.For(options).RunSeconds);
    }

    [Fact]
    public void Round_trip_connection_counts_can_be_chosen()
    {
        var options = BenchOptions.Parse(["round-trip", "--connections", "100,1000"]);

        Assert.Equal([100, 1000], SizeProfile.For(options).RoundTripConnections);
        Assert.Equal([1, 100, 1000], SizeProfile.For(BenchOptions.Parse(["round-trip"])).RoundTripConnections);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("round-trip --connections 0")]
    [InlineData("round-trip --connections 10,x")]
    [InlineData("round-trip --connections 20001")]
    [InlineData("all --size huge")]
    [InlineData("all --rounds 0")]
    [InlineData("all --rounds")]
    [InlineData("all --env novalue")]
    [InlineData("all idle")]
    [InlineData("all --bogus")]
    public void Bad_command_lines_are_refused(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(args));
    }

    [Fact]
    public void The_tiny_size_is_small_and_the_full_size_is_the_brief_s()
    {
        Assert.Equal([1, 100, 1000], SizeProfile.Full.RoundTripConnections);
        Assert.Equal([10_000, 19_000], SizeProfile.Full.IdleConnections);
        Assert.Equal(1000, SizeProfile.Full.FanInUsers);
        Assert.Equal(1000, SizeProfile.Full.ReconnectUsers);
        Assert.Equal(20, SizeProfile.Full.MissedEvents);
        Assert.True(SizeProfile.Tiny.IdleConnections.Max() <= 100);
        Assert.True(SizeProfile.Tiny.RunSeconds <= 1);
    }
}

public sealed class SigningSpecs
{
    [Fact]
    public void The_webhook_signature_matches_twilio_s_published_example()
    {
        // The worked example in Twilio's webhook security documentation.
        KeyValuePair<string, string>[] fields =
        [
            new("CallSid", "CA1234567890ABCDE"),
            new("Caller", "+12349013030"),
            new("Digits", "1234"),
            new("From", "+12349013030"),
            new("To", "+18005551212"),
        ];

        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSigner.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", fields.Reverse()));
        Assert.True(TwilioSigner.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", fields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        Assert.False(TwilioSigner.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", fields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    [Fact]
    public void Message_sids_are_twilio_shaped_and_unique_per_run_and_index()
    {
        var sid = SignedWebhook.MessageSid(3, 42);

        Assert.Matches("^SM[0-9a-f]{32}$", sid);
        Assert.NotEqual(sid, SignedWebhook.MessageSid(4, 42));
        Assert.NotEqual(sid, SignedWebhook.MessageSid(3, 43));
    }

    [Fact]
    public void Access_tokens_are_hs256_for_the_user_with_issuer_audience_and_expiry()
    {
        var jwt = new Jwt(new string('k', 64), TimeSpan.FromHours(1));

        var parts = jwt.For("alice").Split('.');

        Assert.Equal(3, parts.Length);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwt.SigningKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expected, FromBase64Url(parts[2]));
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        Assert.Equal("alice", payload.RootElement.GetProperty("sub").GetString());
        Assert.Equal(Jwt.Issuer, payload.RootElement.GetProperty("iss").GetString());
        Assert.Equal(Jwt.Issuer, payload.RootElement.GetProperty("aud").GetString());
        Assert.True(payload.RootElement.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3000);
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}

public sealed class FanInRunSpecs
{
    [Fact]
    public void Each_message_counts_once_and_a_second_copy_is_a_duplicate()
    {
        var run = new FanInRun(1, 4);
        run.Posting(0, 100);
        run.Accepted(0);
        run.Posting(1, 100);
        run.Accepted(1);

        run.OnMessage(run.Body(0), 200);
        run.OnMessage(run.Body(0), 300);
        run.OnMessage("fanin 2:1", 300);
        run.OnMessage("someone else's text", 300);

        Assert.Equal(1, run.Delivered);
        Assert.Equal(1, run.Duplicates);
        Assert.Equal(1, run.CountLost());
        Assert.Equal(200, run.LastArrival);
        Assert.Equal(1, run.Latency().Count);
    }

    [Fact]
    public void A_refused_webhook_is_not_lost()
    {
        var run = new FanInRun(1, 2);
        run.Posting(0, 100);

        Assert.Equal(0, run.CountLost());
    }
}

public sealed class ReportSpecs
{
    private static readonly MachineInfo Machine = new(2, "23.5 GiB", "Debian", ".NET 10", "20000 soft / 20000 hard", "bench abc");

    [Fact]
    public void A_run_of_one_scenario_keeps_the_sections_of_the_others()
    {
        var path = Path.Combine(Path.GetTempPath(), $"benchmarks-{Guid.NewGuid():N}.md");
        try
        {
            var full = BenchOptions.Parse(["all"]);
            BenchmarksDoc.Write(path, [Result(ScenarioNames.Idle, "first idle"), Result(ScenarioNames.Journal, "first journal")], Machine, full, DateTimeOffset.UnixEpoch);
            BenchmarksDoc.Write(path, [Result(ScenarioNames.Idle, "second idle")], Machine, full, DateTimeOffset.UnixEpoch);

            var doc = File.ReadAllText(path);
            Assert.Contains("second idle", doc, StringComparison.Ordinal);
            Assert.DoesNotContain("first idle", doc, StringComparison.Ordinal);
            Assert.Contains("first journal", doc, StringComparison.Ordinal);
            Assert.Contains("Not measured yet", doc, StringComparison.Ordinal);
            Assert.Contains(Scenarios.Scenarios.Command(ScenarioNames.Reconnect), doc, StringComparison.Ordinal);
            Assert.Equal(ScenarioNames.All.Length, BenchmarksDoc.ReadSections(doc).Count + ScenarioNames.All.Length - 2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_hand_written_analysis_survives_a_run_and_stands_before_the_results()
    {
        var path = Path.Combine(Path.GetTempPath(), $"benchmarks-{Guid.NewGuid():N}.md");
        try
        {
            var full = BenchOptions.Parse(["all"]);
            BenchmarksDoc.Write(path, [Result(ScenarioNames.Idle, "first idle")], Machine, full, DateTimeOffset.UnixEpoch);
            var analysis = "<!-- scenario:analysis -->\n## Where we stand\n\nwritten by hand\n<!-- /scenario:analysis -->\n";
            File.WriteAllText(path, File.ReadAllText(path).Replace("## Latest results", analysis + "\n## Latest results", StringComparison.Ordinal));

            BenchmarksDoc.Write(path, [Result(ScenarioNames.Idle, "second idle")], Machine, full, DateTimeOffset.UnixEpoch);

            var doc = File.ReadAllText(path);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(doc, "written by hand"));
            Assert.True(doc.IndexOf("written by hand", StringComparison.Ordinal) < doc.IndexOf("## Latest results", StringComparison.Ordinal));
            Assert.Contains("second idle", doc, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_tiny_run_is_marked_as_a_smoke_run_in_the_doc()
    {
        var path = Path.Combine(Path.GetTempPath(), $"benchmarks-{Guid.NewGuid():N}.md");
        try
        {
            BenchmarksDoc.Write(path, [Result(ScenarioNames.Idle, "x")], Machine, BenchOptions.Parse(["idle", "--size", "tiny"]), DateTimeOffset.UnixEpoch);

            Assert.Contains("Tiny smoke run", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checks_judge_against_their_targets()
    {
        Assert.Equal(Verdict.Pass, TargetCheck.AtLeast("r", 0.6, 0.5, "0.00").Verdict);
        Assert.Equal(Verdict.Fail, TargetCheck.AtLeast("r", 0.4, 0.5, "0.00").Verdict);
        Assert.Equal(Verdict.Pass, TargetCheck.AtMost("p99", 9.9, 10, "0.0").Verdict);
        Assert.Equal(Verdict.NotMeasured, TargetCheck.AtMost("p99", double.NaN, 10, "0.0").Verdict);
        Assert.Equal(Verdict.Fail, TargetCheck.Exactly("lost", 1, 0).Verdict);
    }

    [Fact]
    public void Text_tables_align_their_columns()
    {
        var text = TextReport.Table(new ResultTable("caption", ["name", "value"], [["a", "1"], ["longer", "1,000"]]));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("caption", lines[0]);
        Assert.Equal("a           1", lines[3]);
        Assert.Equal("longer  1,000", lines[4]);
    }

    private static ScenarioResult Result(string name, string setup) =>
        new(name, "title", setup, [new ResultTable("t", ["a"], [["1"]])], [TargetCheck.Exactly("x", 0, 0)], []);
}
