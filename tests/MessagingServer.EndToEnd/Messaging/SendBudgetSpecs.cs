using System.Net;
using System.Text;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Messaging;

public sealed class SendBudgetSpecs
{
    [Fact]
    public async Task Refused_rest_requests_spend_none_of_the_users_send_budget()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:SendBurst"] = "1",
            ["Limits:SendsPerSecond"] = "0.01",
        });
        var http = server.HttpFor("budget");

        var refused = new List<HttpStatusCode>();
        foreach (var bad in new[] { "{\"to\":\"12345\",\"body\":\"x\"}", "{oops", "{\"to\":\"+15550001111\",\"body\":\"\"}" })
        {
            using var response = await http.PostAsync("/api/users/budget/messages", new StringContent(bad, Encoding.UTF8, "application/json"));
            refused.Add(response.StatusCode);
        }

        using var good = await http.PostAsync("/api/users/budget/messages", new StringContent("{\"to\":\"+15550001111\",\"body\":\"hi\"}", Encoding.UTF8, "application/json"));
        using var over = await http.PostAsync("/api/users/budget/messages", new StringContent("{\"to\":\"+15550001111\",\"body\":\"again\"}", Encoding.UTF8, "application/json"));

        Assert.All(refused, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
    }
}
