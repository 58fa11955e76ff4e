using MessagingServer.Hosting;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace MessagingServer.Tests.Hosting;

public sealed class RequestLogLevelSpecs
{
    [Theory]
    [InlineData(200, 3.0, LogEventLevel.Debug)]
    [InlineData(204, 999.0, LogEventLevel.Debug)]
    [InlineData(200, 1000.0, LogEventLevel.Information)]
    [InlineData(101, 5.0, LogEventLevel.Information)]
    [InlineData(401, 1.0, LogEventLevel.Information)]
    [InlineData(429, 1.0, LogEventLevel.Information)]
    [InlineData(500, 1.0, LogEventLevel.Error)]
    [InlineData(503, 1.0, LogEventLevel.Error)]
    public void Fast_successes_are_debug_and_the_rest_stay_visible(int status, double elapsedMs, LogEventLevel expected)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;

        Assert.Equal(expected, LoggingSetup.RequestLevel(context, elapsedMs, exception: null));
    }

    [Fact]
    public void A_request_that_threw_is_an_error_whatever_its_status()
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = 200;

        Assert.Equal(LogEventLevel.Error, LoggingSetup.RequestLevel(context, 1.0, new InvalidOperationException("boom")));
    }
}
