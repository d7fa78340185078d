using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Convor.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Operators that exist already get what a new one gets: offline, the default maximum, version 1.
            migrationBuilder.AddColumn<string>(
                name: "Availability",
                table: "operators",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Offline");

            migrationBuilder.AddColumn<DateTime>(
                name: "LastRoutedAt",
                table: "operators",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxConversations",
                table: "operators",
                type: "INTEGER",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "operators",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1L);

            migrationBuilder.AddColumn<DateTime>(
                name: "WaitingSince",
                table: "conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_operators_org_availability",
                table: "operators",
                columns: new[] { "OrganizationId", "Availability", "Active" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_org_waiting",
                table: "conversations",
                columns: new[] { "OrganizationId", "WaitingSince", "Id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_waiting",
                table: "conversations",
                columns: new[] { "WaitingSince", "OrganizationId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_operators_org_availability",
                table: "operators");

            migrationBuilder.DropIndex(
                name: "ix_conversations_org_waiting",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_waiting",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "Availability",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "LastRoutedAt",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "MaxConversations",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "operators");

            migrationBuilder.DropColumn(
                name: "WaitingSince",
                table: "conversations");
        }
    }
}
