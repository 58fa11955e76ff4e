global using MessagingServer.TestSupport;
global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
