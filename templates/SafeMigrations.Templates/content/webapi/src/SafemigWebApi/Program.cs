using Microsoft.EntityFrameworkCore;
using SafeMigrations.EmbeddedPostgres;
using SafemigWebApi;

// The database is ConnectionStrings:Default (appsettings, or ConnectionStrings__Default in the environment).
// In Development without one, a throwaway local PostgreSQL is started and deleted on exit.
var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Default");
await using var embedded = string.IsNullOrWhiteSpace(connectionString) && builder.Environment.IsDevelopment()
    ? await PostgresServer.StartAsync()
    : null;
if (embedded is not null)
{
    connectionString = await embedded.CreateDatabaseAsync("safemigwebapi");
    Console.WriteLine("Using a throwaway " + embedded.Description);
}

if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("error: no database: set ConnectionStrings:Default (or ConnectionStrings__Default), or run in Development to use a throwaway PostgreSQL.");
    return 2;
}

var app = NotesApi.Build(builder, connectionString);
await app.RunAsync();
return 0;
