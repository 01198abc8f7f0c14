/**
 * ferry labels ↔ Latitude.sh tags, through core's tag codec. A Latitude tag is a team-wide object
 * with a name, attached to servers by id (PATCH /servers/{id} with `tags: [ids]`), so a label k=v
 * is the tag named "k:v"; a tag ferry did not write comes back as a label with an empty value.
 */
export { labelToTag as labelToTagName, labelsToTags as labelsToTagNames, tagsToLabels as tagNamesToLabels } from '../../core/index.js';
