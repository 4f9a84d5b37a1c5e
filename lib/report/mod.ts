/**
 * The report room: an orchestration drawn as one page. timeline.ts folds
 * the event log into lanes, turns, marks, messages and cost over time;
 * report_data.ts adds the derived status and each agent's changed files
 * (agent_changes.ts, from git); page_html.ts renders one self-contained HTML
 * page (page_style.ts and the page_script_*.ts parts inline); ui_server.ts
 * serves those pages live for `maos ui`. Read timeline.ts, report_data.ts,
 * then page_html.ts.
 *
 * @module
 */
export { TimelineFold } from "./timeline.ts";
export { reportData, ReportSource } from "./report_data.ts";
export { reportHtml } from "./page_html.ts";
export { startUiServer } from "./ui_server.ts";
