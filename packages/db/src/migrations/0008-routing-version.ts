import { sql, type Kysely } from 'kysely';

/**
 * One number that moves whenever who-gets-what may have changed (people, their roles and channels,
 * the rules): workers keep a snapshot of the rules and role holders and reload it when it moves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table routing_version (
      id smallint primary key default 1 check (id = 1),
      version bigint not null
    );
    insert into routing_version (id, version) values (1, 1);
    create function tower_routing_changed() returns trigger language plpgsql as $$
    begin
      update routing_version set version = version + 1 where id = 1;
      return null;
    end
    $$;
    create trigger people_routing_changed after insert or update or delete or truncate on people
      for each statement execute function tower_routing_changed();
    create trigger person_roles_routing_changed after insert or update or delete or truncate on person_roles
      for each statement execute function tower_routing_changed();
    create trigger person_channels_routing_changed after insert or update or delete or truncate on person_channels
      for each statement execute function tower_routing_changed();
    create trigger rules_routing_changed after insert or update or delete or truncate on rules
      for each statement execute function tower_routing_changed();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger people_routing_changed on people;
    drop trigger person_roles_routing_changed on person_roles;
    drop trigger person_channels_routing_changed on person_channels;
    drop trigger rules_routing_changed on rules;
    drop function tower_routing_changed();
    drop table routing_version;
  `.execute(db);
}
