global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
