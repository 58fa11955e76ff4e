using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

/// <summary>Kestrel serves HTTPS and wss from a PEM certificate given in configuration only.</summary>
public sealed class TransportSecuritySpecs : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("messaging-tls-").FullName;
    private X509Certificate2 _certificate = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var certPath = Path.Combine(_directory, "tls.crt");
        var keyPath = Path.Combine(_directory, "tls.key");
        await File.WriteAllTextAsync(certPath, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        _server = await RunningServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Kestrel:Certificates:Default:Path"] = certPath,
                ["Kestrel:Certificates:Default:KeyPath"] = keyPath,
            },
            url: "https://127.0.0.1:0");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Trusts the test's certificate and nothing else.</summary>
    private bool TrustOnlyOurs(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == _certificate.GetCertHashString();

    private HttpClient HttpsClient() => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustOnlyOurs },
    })
    {
        BaseAddress = _server.BaseAddress,
    };

    [Fact]
    public async Task A_wss_round_trip_works_on_the_echo()
    {
        Assert.Equal("https", _server.BaseAddress.Scheme);

        await using var client = await SocketClient.ConnectAsync(
            _server.WebSocketUri("/affirm"), o => o.RemoteCertificateValidationCallback = TrustOnlyOurs);
        await client.SendTextAsync("over tls");

        Assert.Equal("wss", _server.WebSocketUri("/affirm").Scheme);
        Assert.Equal("You said over tls", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_https_get_answers_and_carries_hsts_outside_development()
    {
        using var http = HttpsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "messaging.example"; // HSTS is never sent to localhost names

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Welcome to messaging service.", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no HSTS header");
        Assert.Contains("max-age=", hsts.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_is_not_served()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/"));
    }
}
