using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Convor.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LifecycleAndQueries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversations_org_operator",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_snooze_sweep",
                table: "conversations");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_org_channel_order",
                table: "conversations",
                columns: new[] { "OrganizationId", "Channel", "LastMessageAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_org_operator_order",
                table: "conversations",
                columns: new[] { "OrganizationId", "AssignedOperatorId", "LastMessageAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_org_priority_order",
                table: "conversations",
                columns: new[] { "OrganizationId", "Priority", "LastMessageAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_snooze_sweep",
                table: "conversations",
                columns: new[] { "SnoozedUntil", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversations_org_channel_order",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_org_operator_order",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_org_priority_order",
                table: "conversations");

            migrationBuilder.DropIndex(
                name: "ix_conversations_snooze_sweep",
                table: "conversations");

            migrationBuilder.CreateIndex(
                name: "ix_conversations_org_operator",
                table: "conversations",
                columns: new[] { "OrganizationId", "AssignedOperatorId" });

            migrationBuilder.CreateIndex(
                name: "ix_conversations_snooze_sweep",
                table: "conversations",
                columns: new[] { "Status", "SnoozedUntil" });
        }
    }
}
