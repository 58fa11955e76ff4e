using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace MessagingServer.Security;

/// <summary>
/// Trust in a reverse proxy's <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, bound from the
/// <c>ForwardedHeaders</c> section. Off by default: a server that trusted them without a proxy in front
/// would let any client choose its own IP (and so escape the per-IP limits).
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of proxies whose headers are believed (e.g. <c>10.0.0.5</c>). Loopback is always trusted.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR form (e.g. <c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain are unwrapped.</summary>
    public int ForwardLimit { get; set; } = 1;

    public ForwardedHeadersOptions ToOptions()
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = ForwardLimit,
        };
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return options;
    }
}

internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        failures.AddRange(options.KnownProxies
            .Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"ForwardedHeaders:KnownProxies has '{p}', which is not an IP address."));
        failures.AddRange(options.KnownNetworks
            .Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"ForwardedHeaders:KnownNetworks has '{n}', which is not a network in CIDR form (10.0.0.0/8)."));
        if (options.ForwardLimit < 1)
        {
            failures.Add("ForwardedHeaders:ForwardLimit must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
