using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MessagingServer.Twilio;

/// <summary>
/// Readiness names the SMS provider in use: Twilio (with the account's last digits and where delivery
/// reports come back) or the loopback provider. A half-configured Twilio never gets this far: start-up refuses it.
/// </summary>
internal sealed class SmsProviderHealthCheck(IOptions<TwilioOptions> options) : IHealthCheck
{
    public const string Name = "smsProvider";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var twilio = options.Value;
        if (!twilio.IsConfigured)
        {
            return Task.FromResult(HealthCheckResult.Healthy("loopback provider (Twilio not configured)"));
        }

        var account = twilio.AccountSid is { Length: > 4 } sid ? "…" + sid[^4..] : "?";
        var callbacks = string.IsNullOrWhiteSpace(twilio.WebhookBaseUrl) ? "no WebhookBaseUrl: no delivery reports" : "delivery reports enabled";
        return Task.FromResult(string.IsNullOrWhiteSpace(twilio.WebhookBaseUrl)
            ? HealthCheckResult.Degraded($"Twilio account {account}; {callbacks}")
            : HealthCheckResult.Healthy($"Twilio account {account}; {callbacks}"));
    }
}
