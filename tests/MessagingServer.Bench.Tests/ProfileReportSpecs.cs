using MessagingServer.ProfileReport;

namespace MessagingServer.Bench.Tests;

/// <summary>The profile tables behind the benchmark analysis: listings parsed exactly, junk skipped, samples put where the time went.</summary>
public sealed class ProfileReportSpecs
{
    private static readonly string[] Before =
    [
        "    1,000,000  GC Heap bytes",
        "       10,000  GC Heap objects",
        "",
        "   Object Bytes     Count  Type",
        "        269,432         1  Entry<Akka.Actor.IActorRef,System.String>[] (Bytes > 100K)  [System.Private.CoreLib.dll]",
        "            176       100  Akka.Actor.ActorCell  [Akka.dll]",
        "             40       300  System.String  [System.Private.CoreLib.dll]",
    ];

    private static readonly string[] After =
    [
        "   Object Bytes     Count  Type",
        "        269,432         1  Entry<Akka.Actor.IActorRef,System.String>[] (Bytes > 100K)  [System.Private.CoreLib.dll]",
        "            176     1,100  Akka.Actor.ActorCell  [Akka.dll]",
        "            840     1,000  Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.Http1Connection<Context>  [Microsoft.AspNetCore.Server.Kestrel.Core.dll]",
        "             40     2,400  System.String  [System.Private.CoreLib.dll]",
        "             40       500  System.String  [System.Private.CoreLib.dll]",
        "not a row at all",
        "  12x  34  half a row",
        "99999999999999999999999 1 Overflowing.Type",
    ];

    [Fact]
    public void A_listing_sums_sizes_times_counts_per_type_and_skips_junk()
    {
        var types = HeapReport.Parse(After);
        Assert.Equal((176L * 1_100, 1_100L), types["Akka.Actor.ActorCell"]);
        Assert.Equal((40L * 2_900, 2_900L), types["System.String"]);
        Assert.Equal((269_432L, 1L), types["Entry<Akka.Actor.IActorRef,System.String>[]"]);
        Assert.Equal(4, types.Count);
    }

    [Fact]
    public void The_growth_per_user_is_told_by_part_of_the_server()
    {
        var report = HeapReport.Render(Before, After, users: 1_000);
        // 1,000 cells (176 KB), 1,000 connections (840 KB), 2,600 strings (104 KB) over 1,000 users.
        Assert.Contains("live heap growth per user: 1.1 KiB, 5 objects", report, StringComparison.Ordinal);
        Assert.Contains("| Kestrel connection, HTTP and WebSocket | 0.8 KiB | 1.0 |", report, StringComparison.Ordinal);
        Assert.Contains("| actors (cells, mailboxes, receive handlers) | 0.2 KiB | 1.0 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void No_users_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HeapReport.Render(Before, After, users: 0));

    [Theory]
    [InlineData("SQLitePCL.SQLite3Provider_e_sqlite3.sqlite3_step|LinqToDB.Data.DataConnection.Execute|Akka.Persistence.Sql.Journal.Dao.Write", "SQLite (native step/prepare)")]
    [InlineData("LinqToDB.Internal.SqlQuery.Visitor.Visit|Akka.Persistence.Sql.Snapshot.ByteArraySnapshotDao.LatestSnapshotAsync", "linq2db (SQL text, mapping, query translation)")]
    [InlineData("System.Text.Json.Utf8JsonWriter.WriteString|MessagingServer.Domain.Protocol.ServerFrames.Write|Akka.Actor.ActorCell.Invoke", "JSON (frames, events, payloads)")]
    [InlineData("System.Threading.LowLevelSpinWaiter.Wait|System.Threading.LowLevelLifoSemaphore.Wait(int32,bool)|WorkerThreadStart", "thread-pool workers spinning for work")]
    [InlineData("System.Collections.Generic.Dictionary.FindValue|System.Linq.Enumerable.Any", Components.Other)]
    public void A_sample_counts_for_the_component_nearest_its_leaf(string stackFromLeaf, string component) =>
        Assert.Equal(component, Components.Of(stackFromLeaf.Split('|')));

    [Fact]
    public void An_allocation_is_never_put_down_to_the_allocator_itself() =>
        Assert.Equal("Akka.Streams (socket graphs, replay streams)", Components.Of(["System.GC.AllocateNewArray", "Akka.Streams.Implementation.Fusing.GraphInterpreter.Execute"], allocation: true));

    [Theory]
    [InlineData("System.Threading.Monitor.Wait(class System.Object,int32)", true)]
    [InlineData("System.Net.Sockets.SocketAsyncEngine.EventLoop()", true)]
    [InlineData("System.Threading.LowLevelLifoSemaphore.Wait(int32,bool)", false)]
    [InlineData("SQLitePCL.SQLite3Provider_e_sqlite3.sqlite3_step", false)]
    public void Blocked_threads_are_not_running(string frame, bool blocked) => Assert.Equal(blocked, Components.IsWait(frame));
}
